"""The classroom dashboard (Mesa SolaraViz): live network, charts, figures and notes, presets,
and two scenarios side by side. Needs the ``viz`` extra; start it with ``ckm-sim dashboard``.

Modules: ``app`` (the page), ``model`` (the model the sliders build), ``network_view``,
``charts``, ``figures``, ``compare`` (side by side), ``notes`` (the plain-language texts),
``server`` (starting and stopping a dashboard server).
"""
