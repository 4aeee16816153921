"""The worker's part of statements: the PDFs, printed by WeasyPrint from the same templates as
the web pages, with the charts embedded."""

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django_tasks import task
from weasyprint import HTML

from shortbreaks.core.storage import atomic_with_files, store_file

from .models import Statement
from .presenting import context_for


def pdf_of(statement: Statement, *, easy_read: bool = False) -> bytes:
    html = render_to_string(
        "insight/statement_pdf.html",
        context_for(statement.kind, statement.content, statement=statement, easy_read=easy_read),
    )
    # PDF/UA-1: tagged (headings, tables, figures with their alt text), its title and language
    # in the metadata; WeasyPrint makes the bookmarks from the headings.
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


@task()
def render_statement_pdfs(*, statement_id: int) -> None:
    """The PDFs go to the file store (core/storage.py) with the statement's record: if saving
    the record fails, the PDFs are deleted again; if the store is down, the task fails and is
    logged, and the statement keeps its page without a PDF."""
    statement = Statement.objects.get(pk=statement_id)
    pdfs = {"pdf": pdf_of(statement)}
    if statement.kind == Statement.Kind.SERVICES:
        pdfs["easy_read_pdf"] = pdf_of(statement, easy_read=True)
    _keep_pdfs(statement, pdfs)


@atomic_with_files
def _keep_pdfs(statement: Statement, pdfs: dict[str, bytes]) -> None:
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    for field, content in pdfs.items():
        suffix = "-easy-read" if field == "easy_read_pdf" else ""
        store_file(getattr(statement, field), ContentFile(content), name=f"{statement.kind}{suffix}.pdf")
    statement.save(update_fields=list(pdfs))
