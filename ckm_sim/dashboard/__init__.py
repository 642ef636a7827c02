"""The classroom dashboard (solara, on a Mesa model): live network with the knowledge flows,
headline figures, charts, notes, presets, and two scenarios side by side. Needs the ``viz``
extra; start it with ``ckm-sim dashboard``.

Modules: ``app`` (the page), ``controls`` (control bar, settings, play loop), ``runner`` (the
page's models and clock), ``model`` (the model the settings build, with its flow trace),
``flows`` (which ties carried knowledge), ``network_view``, ``charts``, ``figures``, ``compare``
(side by side), ``notes`` (labels, units, meanings, plain-language texts), ``style`` (CSS),
``drawn`` (the browser's echo that paces the play loop), ``echarts``, ``lesson`` (the lesson's
figures for docs/classroom.md), ``server`` and ``browser`` (serving and driving the page).
A preset with several firms (docs/ODD.md 7.6) adds each firm's charts, table and departments,
and the dimension sliders set one chosen firm's levels.
"""
