"""``ckm-sim compare``: paired differences between scenarios (``differences``) and across the
firms of one market (``firms``), in numbers, sentences and figures."""
