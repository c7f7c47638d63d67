"""The Theory page's mathematics, in NumPy only: 1-D distributions (distributions), the grid,
the optimal discriminator D*, V(D,G), KL, JSD and W1 (divergences), the page's families,
presets and comparisons (model), and the paper's Figure 1 simulated (figure1).

The training code reuses D* and JSD from here, so the Theory page and a training run's
JSD tile compute them the same way."""
