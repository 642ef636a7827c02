"""A firm in its own numbers: from a small file of a firm's figures to a scenario
(``ckm-sim firm-scenario``, docs/whatif.md)."""
