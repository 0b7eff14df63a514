"""A banner's label and the field after it are apart on screen: Odoo drops the white space
between two elements of a view (its XML parser removes blank text, the web client's template
compiler a blank text with a line break), so "credit hold:" and the reason ran together.
Checked on the form views as the web client gets them, in English and in Dutch (a
translation keeps the space)."""

from lxml import etree

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestViewText(TransactionCase):
    def _run_together(self, model, lang):
        """The labels of ``model``'s form view (``lang``) directly followed by a field,
        with nothing between them."""
        views = self.env[model].with_context(lang=lang).get_views([(False, "form")])
        arch = etree.fromstring(views["views"]["form"]["arch"])
        found = []
        for label in arch.iter("strong"):
            following = label.getnext()
            text = "".join(label.itertext())
            if following is None or following.tag != "field":
                continue
            # the web client's template compiler drops a blank text with a line break in it
            # (a no-break space too): the space must stand alone on the label's line
            tail = label.tail or ""
            if tail.strip() or (tail and "\n" not in tail):
                continue
            if text and not text[-1].isspace():
                found.append(text)
        return found

    def test_labels_and_fields_are_apart(self):
        for model in ("account.move", "res.partner", "ar.customer.account"):
            for lang in ("en_US", "nl_NL"):
                self.assertEqual(self._run_together(model, lang), [], (model, lang))
