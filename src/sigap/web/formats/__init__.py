"""Django's named date formats (`|date:"DATE_FORMAT"`, form widgets' display) made to agree with
`sigap.web.formatting` (settings.FORMAT_MODULE_PATH). Only the display formats are set here;
separators and input formats stay Django's own for the language."""
