"""The Gallery page's pieces (pages/3_Gallery.py arranges them); drawing from and scoring
generators is `gan_engine.judge`.

- `generators`: finding and loading generators, and the sheets and strips drawn from them (cached)
- `widgets`: the seed and digit inputs, a generator's description, a picture with its download
- `views`: the Sample, Same z, Interpolate, Corners and Morph views, and the table of all views
- `diagnostics`: the Diagnostics view: classifier scores and nearest training images (cached)

Widget keys start with `gallery_`.
"""
