"""Vocabularies for describing services: the needs a service supports and the kinds of break.
They are shared reference data (like the ORUK taxonomies they are published as), not any one
authority's records, so they carry no authority."""

import uuid

from django.db import models


class Taxonomy(models.Model):
    NEEDS = "needs"
    BREAK_KINDS = "break-kinds"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=20, default="1")

    class Meta:
        verbose_name_plural = "taxonomies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="terms")
    code = models.SlugField()
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        # By id of taxonomy, not its code: ordering must not add a join to every prefetch.
        ordering = ["taxonomy_id", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["taxonomy", "code"], name="term_code_unique")]

    def __str__(self) -> str:
        return self.name
