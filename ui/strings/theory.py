"""Strings of the Theory page (pages/1_Theory.py and the labels of gan_engine.plots.theory)."""

EN = {
    "theory.title": "Theory: the minimax game on one axis",
    "theory.intro": (
        "Goodfellow et al. (2014) define the GAN game through a value function V(D,G). For a fixed "
        "generator the best discriminator D* has a closed form, and plugging it in turns the game into "
        "minimising a Jensen-Shannon divergence. Here you can watch every step on 1-D densities."
    ),
    "theory.preset": "Start from a preset",
    "theory.preset.equal": "equal: p_g = p_data",
    "theory.preset.shifted": "shifted: N(0, 1) against N(2, 1)",
    "theory.preset.disjoint": "disjoint supports: two uniforms that never overlap",
    "theory.preset.one_mode": "generator covers one of two modes",
    "theory.preset.custom": "custom: your own settings (no preset matches them)",
    "theory.role.data": "Data distribution p_data",
    "theory.role.g": "Generator distribution p_g",
    "theory.family": "Family",
    "theory.family.normal": "normal",
    "theory.family.mixture": "mixture of normals",
    "theory.family.uniform": "uniform",
    "theory.family.laplace": "Laplace",
    "theory.family.gamma": "gamma (skewed)",
    "theory.param.mu": "mean μ",
    "theory.param.sigma": "std σ",
    "theory.param.components": "components",
    "theory.param.w": "weight w",
    "theory.param.low": "lower end a",
    "theory.param.high": "upper end b",
    "theory.param.b": "scale b",
    "theory.param.shape": "shape k",
    "theory.param.theta": "scale θ",
    "theory.param.loc": "start ℓ",
    "theory.error": "These settings cannot be computed: {detail}",
    "theory.note.equal_weights": "{role}: all mixture weights are 0, so equal weights are used.",
    "theory.note.widened": (
        "{role}: a width of {given} is narrower than the grid can resolve, so it is computed with width {used}."
    ),
    "theory.note.outside": (
        "{role}: {percent} % of its mass lies outside the computed range [{low}, {high}]; the density is "
        "renormalised on that range."
    ),
    "theory.s1.title": "1 · Choose p_data and p_g",
    "theory.s1.explain": (
        "Pick the data distribution and the distribution your generator currently produces. Everything "
        "below is computed from these two densities on a grid of 5,001 points from −20 to 20."
    ),
    "theory.s2.title": "2 · The optimal discriminator D*",
    "theory.s2.explain": (
        "Where real data is more likely than generated data, the best discriminator answers “real” with "
        "probability above ½, where p_g dominates below ½. Where both densities vanish D* is undefined: the curve has a gap."
    ),
    "theory.tab.s3": "3 · Value function",
    "theory.tab.s4": "4 · Divergences",
    "theory.tab.s5": "5 · Vanishing gradients",
    "theory.tab.s6": "6 · Generator losses",
    "theory.tab.s7": "7 · Equilibrium",
    "theory.s3.title": "3 · The value function V(D, G)",
    "theory.s3.explain": (
        "Shape your own discriminator D(x) = σ(ax + b) with a and b: its value never exceeds V(D*, G). "
        "At a single point x, the integrand as a function of D's output y peaks exactly at y = D*(x)."
    ),
    "theory.disc_a": "slope a of your D",
    "theory.disc_b": "offset b of your D",
    "theory.point_x": "point x for the integrand",
    "theory.value_student": "V(D, G), your D",
    "theory.value_optimal": "V(D*, G), optimal D",
    "theory.value_gap": "V(D*, G) − V(D, G) ≥ 0",
    "theory.pointwise_undefined": "Both densities vanish at this x, so every output y is optimal: pick another point.",
    "theory.s4.title": "4 · Divergences",
    "theory.s4.explain": (
        "The JSD is symmetric and lies between 0 and ln 2 ≈ 0.693 nats (1 bit); KL is neither symmetric nor bounded. "
        "The second row checks the paper's identity: the two numbers are computed by separate code."
    ),
    "theory.jsd_nats": "JSD (nats)",
    "theory.jsd_bits": "JSD (bits)",
    "theory.kl_data_g": "KL(p_data ‖ p_g), nats",
    "theory.kl_g_data": "KL(p_g ‖ p_data), nats",
    "theory.identity_left": "V(D*, G) from the value function",
    "theory.identity_right": "−log 4 + 2·JSD from the divergence",
    "theory.identity_gap": "difference",
    "theory.kl_infinite": "∞: the second density is zero where the first has mass, so KL is infinite; the JSD stays finite.",
    "theory.s5.title": "5 · Why gradients vanish",
    "theory.s5.explain": (
        "Here p_g keeps its shape and slides away from p_data. Once the supports stop overlapping, the JSD is "
        "stuck at ln 2 and tells the generator nothing about where to go, while the Wasserstein-1 distance keeps growing."
    ),
    "theory.s6.title": "6 · Generator losses: saturating and non-saturating",
    "theory.s6.explain": (
        "Early in training the discriminator rejects fakes confidently, D(G(z)) ≈ 0 (l is its logit). There the paper's minimax "
        "loss (left) is flat, gradient −D ≈ 0 in the grey band, while the non-saturating loss (right), used by the source notebooks, pushes hardest."
    ),
    "theory.s7.title": "7 · Equilibrium reference values",
    "theory.s7.explain": (
        "At the global optimum p_g = p_data the discriminator can only guess, D = ½ everywhere, so each cross-entropy "
        "term is ln 2 ≈ 0.693 and each squared error 0.25: the losses a balanced GAN shows. Computed on the grid for your p_data."
    ),
    "theory.eq.quantity": "quantity",
    "theory.eq.computed": "computed on the grid",
    "theory.eq.exact": "exact",
    "theory.eq.d": "D*(x) when p_g = p_data",
    "theory.eq.value": "V(D*, G) at the optimum",
    "theory.eq.bce": "binary cross-entropy per term",
    "theory.eq.mse": "squared error per term",
    "theory.s8.title": "8 · Figure 1 of the paper, computed",
    "theory.s8.explain": (
        "z is drawn uniformly (lower line) and mapped to x = G(z) = μ + σΦ⁻¹(z) (upper line); p_data = N(1, 0.5²). "
        "(a) D partly trained; (b) D converged to D*; (c) after one generator step G(z) has flowed towards the data; "
        "(d) after 30 rounds p_g = p_data and D = ½."
    ),
    "theory.fig1.stage": "Stage of the game",
    "theory.fig1.round": "round {rounds}",
    "theory.fig1.state": "Generator N(μ = {mu}, σ = {sigma}); D ranges from {d_min} to {d_max}.",
    "theory.plot.p_data": "p_data",
    "theory.plot.p_g": "p_g",
    "theory.plot.d_star": "D*(x)",
    "theory.plot.d_student": "your D(x)",
    "theory.plot.d": "D(x)",
    "theory.plot.x": "x",
    "theory.plot.y": "y = D(x)",
    "theory.plot.density": "density",
    "theory.plot.probability": "probability",
    "theory.plot.point": "chosen x",
    "theory.plot.integrand": "integrand f(y)",
    "theory.plot.jsd": "JSD (nats)",
    "theory.plot.w1": "Wasserstein-1",
    "theory.plot.log2": "ln 2: the ceiling",
    "theory.plot.shift": "distance between the means of p_g and p_data",
    "theory.plot.nats": "nats",
    "theory.plot.distance": "W1 (x units)",
    "theory.plot.losses": "generator loss",
    "theory.plot.gradients": "its gradient w.r.t. D's logit",
    "theory.plot.minimax": "log(1 − D(G(z))): minimax",
    "theory.plot.nonsaturating": "−log D(G(z)): non-saturating",
    "theory.plot.d_fake": "D(G(z))",
    "theory.plot.flat": "no gradient",
    "theory.plot.mapping": "z → x = G(z)",
    "theory.plot.a": "(a) D partly trained",
    "theory.plot.b": "(b) D = D*",
    "theory.plot.c": "(c) after a G step",
    "theory.plot.d_panel": "(d) p_g = p_data",
}

ZH = {
    "theory.title": "理论：一维上的极小极大博弈",
    "theory.intro": (
        "Goodfellow 等人（2014）用价值函数 V(D,G) 定义了 GAN 的博弈。对固定的生成器，最优判别器 D* 有闭式解；"
        "把它代回去，博弈就变成了最小化 Jensen-Shannon 散度。在这里，你可以在一维密度上看清每一步。"
    ),
    "theory.preset": "从预设开始",
    "theory.preset.equal": "相同：p_g = p_data",
    "theory.preset.shifted": "平移：N(0, 1) 对比 N(2, 1)",
    "theory.preset.disjoint": "支撑集不相交：两个互不重叠的均匀分布",
    "theory.preset.one_mode": "生成器只覆盖两个模式中的一个",
    "theory.preset.custom": "自定义：你自己的设置（与任何预设都不同）",
    "theory.role.data": "数据分布 p_data",
    "theory.role.g": "生成分布 p_g",
    "theory.family": "分布族",
    "theory.family.normal": "正态分布",
    "theory.family.mixture": "正态混合分布",
    "theory.family.uniform": "均匀分布",
    "theory.family.laplace": "拉普拉斯分布",
    "theory.family.gamma": "伽马分布（偏态）",
    "theory.param.mu": "均值 μ",
    "theory.param.sigma": "标准差 σ",
    "theory.param.components": "分量个数",
    "theory.param.w": "权重 w",
    "theory.param.low": "下端点 a",
    "theory.param.high": "上端点 b",
    "theory.param.b": "尺度 b",
    "theory.param.shape": "形状 k",
    "theory.param.theta": "尺度 θ",
    "theory.param.loc": "起点 ℓ",
    "theory.error": "这些设置无法计算：{detail}",
    "theory.note.equal_weights": "{role}：混合权重全部为 0，因此改用相等的权重。",
    "theory.note.widened": "{role}：宽度 {given} 小于网格能分辨的尺度，因此按宽度 {used} 计算。",
    "theory.note.outside": "{role}：有 {percent} % 的概率质量落在计算区间 [{low}, {high}] 之外；密度已在该区间上重新归一化。",
    "theory.s1.title": "1 · 选择 p_data 和 p_g",
    "theory.s1.explain": (
        "选择数据分布，以及生成器当前产生的分布。下面的一切都由这两个密度在 −20 到 20 之间 5001 个网格点上计算得出。"
    ),
    "theory.s2.title": "2 · 最优判别器 D*",
    "theory.s2.explain": (
        "在真实数据比生成数据更可能出现的地方，最优判别器以大于 ½ 的概率判为“真”；在 p_g 占优的地方则小于 ½。"
        "两个密度都为零的地方 D* 没有定义：曲线在那里断开。"
    ),
    "theory.tab.s3": "3 · 价值函数",
    "theory.tab.s4": "4 · 散度",
    "theory.tab.s5": "5 · 梯度消失",
    "theory.tab.s6": "6 · 生成器损失",
    "theory.tab.s7": "7 · 均衡",
    "theory.s3.title": "3 · 价值函数 V(D, G)",
    "theory.s3.explain": (
        "用 a 和 b 塑造你自己的判别器 D(x) = σ(ax + b)：它的价值永远不会超过 V(D*, G)。"
        "在某一点 x 上，被积函数作为判别器输出 y 的函数，恰好在 y = D*(x) 处取得最大值。"
    ),
    "theory.disc_a": "你的 D 的斜率 a",
    "theory.disc_b": "你的 D 的偏置 b",
    "theory.point_x": "被积函数所在的点 x",
    "theory.value_student": "V(D, G)，你的 D",
    "theory.value_optimal": "V(D*, G)，最优 D",
    "theory.value_gap": "V(D*, G) − V(D, G) ≥ 0（差值）",
    "theory.pointwise_undefined": "两个密度在这一点都为零，任何输出 y 都是最优的：请换一个点。",
    "theory.s4.title": "4 · 散度",
    "theory.s4.explain": (
        "JSD 是对称的，取值在 0 与 ln 2 ≈ 0.693 奈特（1 比特）之间；KL 既不对称也没有上界。"
        "第二行从数值上验证论文中的恒等式：两个数由相互独立的代码算出。"
    ),
    "theory.jsd_nats": "JSD（奈特）",
    "theory.jsd_bits": "JSD（比特）",
    "theory.kl_data_g": "KL(p_data ‖ p_g)，奈特",
    "theory.kl_g_data": "KL(p_g ‖ p_data)，奈特",
    "theory.identity_left": "由价值函数算出的 V(D*, G)",
    "theory.identity_right": "由散度算出的 −log 4 + 2·JSD",
    "theory.identity_gap": "差值",
    "theory.kl_infinite": "∞：第二个密度在第一个密度有质量的地方为零，因此 KL 为无穷大；JSD 仍然有限。",
    "theory.s5.title": "5 · 梯度为何消失",
    "theory.s5.explain": (
        "这里 p_g 保持形状不变，逐渐远离 p_data。一旦两者的支撑集不再重叠，JSD 就停在 ln 2，"
        "无法告诉生成器该往哪里走；而 Wasserstein-1 距离会随平移量持续增长。"
    ),
    "theory.s6.title": "6 · 生成器损失：饱和与非饱和",
    "theory.s6.explain": (
        "训练初期，判别器能自信地识破假样本，D(G(z)) ≈ 0（l 是判别器的 logit）。此时论文中的极小极大损失（左式）几乎是平的，"
        "在灰色区域梯度 −D ≈ 0；而源笔记本实际使用的非饱和损失（右式）在那里推动得最用力。"
    ),
    "theory.s7.title": "7 · 均衡时的参考值",
    "theory.s7.explain": (
        "在全局最优点 p_g = p_data，判别器只能瞎猜，处处 D = ½；于是交叉熵的每一项都是 ln 2 ≈ 0.693，"
        "每一项平方误差都是 0.25：这正是一个平衡的 GAN 所显示的损失。数值按你的 p_data 在网格上计算。"
    ),
    "theory.eq.quantity": "量",
    "theory.eq.computed": "网格上的计算值",
    "theory.eq.exact": "精确值",
    "theory.eq.d": "p_g = p_data 时的 D*(x)",
    "theory.eq.value": "最优点处的 V(D*, G)",
    "theory.eq.bce": "每一项的二元交叉熵",
    "theory.eq.mse": "每一项的平方误差",
    "theory.s8.title": "8 · 论文图 1 的计算重现",
    "theory.s8.explain": (
        "z 服从均匀分布（下方的线），被映射为 x = G(z) = μ + σΦ⁻¹(z)（上方的线）；p_data = N(1, 0.5²)。"
        "(a) D 部分训练；(b) D 收敛到 D*；(c) 生成器更新一步后，G(z) 流向数据所在的区域；"
        "(d) 30 轮之后 p_g = p_data，D = ½。"
    ),
    "theory.fig1.stage": "博弈进行到的阶段",
    "theory.fig1.round": "第 {rounds} 轮",
    "theory.fig1.state": "生成器 N(μ = {mu}, σ = {sigma})；D 的取值范围为 {d_min} 到 {d_max}。",
    "theory.plot.p_data": "p_data",
    "theory.plot.p_g": "p_g",
    "theory.plot.d_star": "D*(x)",
    "theory.plot.d_student": "你的 D(x)",
    "theory.plot.d": "D(x)",
    "theory.plot.x": "x",
    "theory.plot.y": "y = D(x)",
    "theory.plot.density": "概率密度",
    "theory.plot.probability": "概率",
    "theory.plot.point": "所选的 x",
    "theory.plot.integrand": "被积函数 f(y)",
    "theory.plot.jsd": "JSD（奈特）",
    "theory.plot.w1": "Wasserstein-1 距离",
    "theory.plot.log2": "ln 2：上限",
    "theory.plot.shift": "p_g 与 p_data 均值之间的距离",
    "theory.plot.nats": "奈特",
    "theory.plot.distance": "W1（x 的单位）",
    "theory.plot.losses": "生成器损失",
    "theory.plot.gradients": "对判别器 logit 的梯度",
    "theory.plot.minimax": "log(1 − D(G(z)))：极小极大",
    "theory.plot.nonsaturating": "−log D(G(z))：非饱和",
    "theory.plot.d_fake": "D(G(z))",
    "theory.plot.flat": "没有梯度",
    "theory.plot.mapping": "z → x = G(z) 的映射",
    "theory.plot.a": "(a) D 部分训练",
    "theory.plot.b": "(b) D = D*（已收敛）",
    "theory.plot.c": "(c) 更新 G 一步之后",
    "theory.plot.d_panel": "(d) 均衡：p_g = p_data",
}
