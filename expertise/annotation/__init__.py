"""Annotated DOCX: Word comments on the exact words of each finding, and reading them back."""
