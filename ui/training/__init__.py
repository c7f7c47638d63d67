"""The Training page's pieces (pages/2_Training.py arranges them); everything that computes
lives in `gan_engine`.

- `fields`: each setting's domain and the widget key (= URL parameter) → RunConfig field table
- `settings`: the settings sidebar, the RunConfig it describes, opening a run into the widgets
- `url`: a hand-edited link's values checked, corrected and explained (once per session)
- `upload`: the "use your own data file" control
- `engine`: the Runner and RunStore per runs directory, the training device
- `charts`: one run's cached figures (curves, snapshots) and the published anchors
- `run_view`, `sweep`, `library`: the Train, Sweep, and Compare/Library views

Widget keys start with `train_` and double as URL query parameters.
"""
