"""PDF documents (reportlab): fonts, styles, the letterhead template, one module per document. Each document is a pure function from records to PDF bytes."""
