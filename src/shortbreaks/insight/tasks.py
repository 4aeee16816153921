"""The worker's part of statements: the PDFs, printed by WeasyPrint from the same templates as
the web pages, with the charts embedded."""

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django_tasks import task
from weasyprint import HTML

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
    statement = Statement.objects.get(pk=statement_id)
    statement.pdf.save(f"{statement.kind}.pdf", ContentFile(pdf_of(statement)), save=False)
    fields = ["pdf"]
    if statement.kind == Statement.Kind.SERVICES:
        statement.easy_read_pdf.save(
            f"{statement.kind}-easy-read.pdf", ContentFile(pdf_of(statement, easy_read=True)), save=False
        )
        fields.append("easy_read_pdf")
    statement.save(update_fields=fields)
