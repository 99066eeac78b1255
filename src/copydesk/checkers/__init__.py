"""The built-in checkers, one module each.

A checker is a callable that reads an annotated :class:`~copydesk.document.Document` and yields
:class:`~copydesk.schema.Finding` objects. It is made by a factory registered in
:data:`copydesk.registry.checkers`, with the annotations it needs:

    from copydesk.checkers import register

    @register("my_check", requires=["mentions"])
    def make_my_check(resources: Resources) -> Checker | None:
        def check(doc: Document) -> Iterable[Finding]: ...
        return check

Third-party packages add checkers through the ``copydesk.checkers`` entry point group. The
pipeline runs the checkers named in ``Settings.checkers`` (by default every built-in), in order.
"""

from copydesk.protocols import Checker, CheckerFactory
from copydesk.registry import checkers

register = checkers.register

__all__ = ["Checker", "CheckerFactory", "register"]
