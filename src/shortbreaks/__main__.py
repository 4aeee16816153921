from shortbreaks.cli import main

main()
