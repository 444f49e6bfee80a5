"""The expert opinion (заключение): its data (:mod:`.context`) and its rendering from templates
(:mod:`.render`) in three forms — independent (Приказ Минюста России от 21.10.2011 № 363),
departmental and the municipal table — as DOCX, Markdown or HTML."""

from expertise.opinion.context import FORMS, OpinionOptions, build_context
from expertise.opinion.render import FORMATS, render_opinion, write_atomic

__all__ = ["FORMS", "FORMATS", "OpinionOptions", "build_context", "render_opinion", "write_atomic"]
