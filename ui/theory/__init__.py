"""The Theory page's pieces (pages/1_Theory.py arranges them); the maths lives in
`gan_engine.theory` and the figures in `gan_engine.plots.theory`.

- `state`: the page's session state: starting preset, presets applied, hidden widgets kept
- `controls`: the preset picker and the two distributions' family pickers and sliders
- `results`: the cached computations and the figures no slider changes
- `sections`: each numbered section of the page drawn from those results

Widget keys start with `theory_`.
"""
