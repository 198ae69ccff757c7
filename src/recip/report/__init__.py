"""Rendering by result type: text (:func:`recip.report.text.render`), the results document
(:func:`recip.report.results.results_document`), ``.nfg`` export; figures are in
:mod:`recip.plots`."""
