"""Strings of the Lab page (EN and ZH carry identical keys).

Each view has a title and a two-line explanation (`lab.view.<name>.title` / `.explain`).
Figure text is `lab.plot.<key>` for every key of `gan_engine.plots.lab.DEFAULT_LABELS`.
"""

from gan_engine.plots.lab import DEFAULT_LABELS

EN = {
    "lab.title": "Lab",
    "lab.intro": (
        "Play Algorithm 1 by hand on a small GAN: step the discriminator D, step the generator G, "
        "or play whole rounds, and watch D chase the optimal D* while G chases the data. Change k, "
        "the learning rates, the loss or the optimizer between any two steps."
    ),
    # ---- data
    "lab.data.title": "1 · The data",
    "lab.data.explain": (
        "Pick a toy preset, draw your own 2-D points, or compose a 1-D mixture.\n"
        "Changing the data starts a new game; the networks are the preset's own small MLPs."
    ),
    "lab.source": "Data",
    "lab.source.preset": "Preset",
    "lab.source.draw": "Draw 2-D points",
    "lab.source.mixture": "Compose a 1-D mixture",
    "lab.preset": "Preset",
    "lab.preset.gauss1d": "1-D normal N(2, 0.5²): the paper's Figure 1.",
    "lab.preset.bimodal1d": "1-D mixture of two normals at ±2: does G cover both?",
    "lab.preset.ring2d": "2-D ring of 8 Gaussians: watch for mode collapse.",
    "lab.preset.grid2d": "2-D grid of 25 Gaussians: a harder coverage test.",
    "lab.draw.help": (
        "Click the canvas to add a point; to fill an area, pick the box or lasso tool in the chart's toolbar "
        "and drag (the canvas then returns to clicking). Or place a shape by its parameters."
    ),
    "lab.draw.canvas": "Drawing canvas",
    "lab.draw.count": "{count} points on the canvas (at most {limit}).",
    "lab.draw.empty": "No points yet: click or lasso on the canvas, or place a shape, to start a game.",
    "lab.shape": "Shape",
    "lab.shape.cluster": "Cluster",
    "lab.shape.ring": "Ring",
    "lab.shape.line": "Line",
    "lab.shape.x": "Centre x",
    "lab.shape.y": "Centre y",
    "lab.shape.size": "Size (spread, radius or half-length)",
    "lab.shape.count": "Points",
    "lab.shape.angle": "Angle of a line (degrees)",
    "lab.place": "Place shape",
    "lab.clear": "Clear all points",
    "lab.added": "Added {count} points.",
    "lab.mixture.count": "Components",
    "lab.mixture.component": "Component {index}",
    "lab.mixture.mean": "mean",
    "lab.mixture.sd": "sd",
    "lab.mixture.weight": "weight",
    "lab.note.invalid": "{count} entries were not two finite numbers and were left out.",
    "lab.note.outside": "{count} points outside the canvas [{low}, {high}]² were left out.",
    "lab.note.capped": "{count} points are more than the Lab uses: {limit} of them, evenly spread, are kept.",
    "lab.note.single": "One point is a single small blob: the game runs, but draw more for a real contest.",
    "lab.note.components_capped": "{count} components are more than {limit}: the first {limit} are used.",
    "lab.note.component_invalid": "Component {index} is not a set of finite numbers and is left out.",
    "lab.note.component_clamped": "Component {index} was brought into range (mean −4…4, sd 0.1…2, weight 0…10).",
    # ---- the game
    "lab.game.title": "2 · The game",
    "lab.game.explain": (
        "Step D makes one discriminator update, Step G one generator update, One round does k of D then one "
        "of G.\nBack returns to the state before your last action (the last {history} are kept); Reset starts over."
    ),
    "lab.step_d": "Step D",
    "lab.step_g": "Step G",
    "lab.round": "One round",
    "lab.play": "Play",
    "lab.pause": "Pause",
    "lab.back": "Back",
    "lab.reset": "Reset",
    "lab.speed": "Speed (rounds per second)",
    "lab.speed_help": "Play advances in ticks of at least {tick} s; a tick plays at most {limit} rounds.",
    "lab.k": "k (D steps per round)",
    "lab.lr_d": "D learning rate",
    "lab.lr_g": "G learning rate",
    "lab.loss": "Loss",
    "lab.optimizer": "Optimizer",
    "lab.loss.minimax": "minimax (the paper's)",
    "lab.loss.nonsaturating": "non-saturating",
    "lab.loss.lsgan": "least squares",
    "lab.optimizer.adam": "Adam",
    "lab.optimizer.sgd": "SGD",
    "lab.setting.clamped": "{name} = {given} is out of range: the Lab uses {used}.",
    "lab.setting.ignored": "{name} could not be read: the Lab keeps {used}.",
    "lab.status": "Step {steps} · round {rounds} · {back} earlier states to go back to",
    "lab.playing": "Playing {rounds} round(s) every {interval} s.",
    "lab.back_empty": "Nothing to go back to: the Lab keeps the states before your last {history} actions.",
    "lab.diverged": (
        "The game diverged at step {step}: {reason} (learning rates D {lr_d}, G {lr_g}). The pictures show the "
        "state before that action. Lower the learning rates, then press Back or Reset."
    ),
    "lab.reason.nonfinite_loss": "a loss stopped being a finite number",
    "lab.reason.nonfinite_weights": "a weight stopped being a finite number",
    "lab.reason.exploded_weights": "a weight grew past 10,000",
    "lab.reason.exploded_samples": "generated samples flew past 10,000",
    "lab.metric.step": "Step",
    "lab.metric.jsd": "JSD(p_data ‖ p_g), nats",
    "lab.metric.distance": "mean |D − D*|",
    "lab.metric.modes": "Modes captured",
    "lab.metric.points": "Drawn points covered",
    "lab.metric.hq": "High-quality share",
    # ---- views
    "lab.view.overview.title": "Model overview",
    "lab.view.overview.explain": (
        "Noise z goes through G; D scores the generated G(z) and the real x; the two losses come from D's scores.\n"
        "The coloured network and dashed path are what the last step updated, with the numbers of the current state."
    ),
    "lab.view.layers1d.title": "Layered distributions and Figure 1",
    "lab.view.layers1d.explain": (
        "Green p_data, violet p_g, orange D and dashed D* = p_data / (p_data + p_g); arrows show where G's loss "
        "pushes its samples.\nBelow, each z is joined to the x = G(z) it is mapped to, as in the paper's Figure 1."
    ),
    "lab.view.layers2d.title": "Layered distributions",
    "lab.view.layers2d.explain": (
        "The background is D: green where it says \"real\", violet where it says \"generated\"; green dots are "
        "real data, violet dots G(z).\nEach arrow is the direction G's loss pushes that sample (−∂L_G/∂x)."
    ),
    "lab.view.manifold.title": "G's manifold",
    "lab.view.manifold.explain": (
        "A square grid of z, as G maps it into the plane: where lines crowd, G puts much probability.\n"
        "A generator that folds the grid onto a few spots has collapsed onto a few modes."
    ),
    "lab.view.curves.title": "Over the steps",
    "lab.view.curves1d.explain": (
        "The losses and mean D outputs of every update, with their equilibrium values (D = 1/2 everywhere).\n"
        "JSD(p_data ‖ p_g) and the distance of D from D* after each action: the paper assumes D stays near D*."
    ),
    "lab.view.curves2d.explain": (
        "The losses and mean D outputs of every update, with their equilibrium values (D = 1/2 everywhere).\n"
        "Modes captured and the share of high-quality samples (within 3σ of a mode) after each action."
    ),
    # ---- hand-over
    "lab.handover.title": "3 · Train this fully",
    "lab.handover.explain": (
        "Launch the same preset with these k, learning rates, loss and optimizer as a cached run, and follow it "
        "on the Training page.\nA full run also uses the preset's stabilisers (R1 penalty, EMA, learning-rate decay)."
    ),
    "lab.handover.button": "Train this fully",
    "lab.handover.config": "Launches {preset}: k = {k}, lr_D = {lr_d}, lr_G = {lr_g}, {loss}, {optimizer}.",
    "lab.handover.rounded": "{name} = {given} is not one of the Training page's choices: {used} is used.",
    "lab.handover.own_data": "Your own data stays in the Lab: the run cache trains the presets. Pick a preset to hand over.",
    "lab.handover.no_page": "Run {key} is launched; open the Training page to follow it.",
    "lab.handover.error": "The run could not be launched: {detail}",
    # ---- engine errors (GanExplorerError.message_id)
    "engine.lab_no_points": "There are no points to learn: click or lasso on the canvas, or place a shape.",
    "engine.lab_no_components": "Add at least one component to the mixture.",
    "engine.lab_no_weight": "Every component has weight 0: give at least one a positive weight.",
    "engine.lab_diverged_step": "The game has diverged: press Back or Reset (and lower the learning rates).",
    "engine.lab_unknown_target": "The Lab plays the toy targets only; {name} is not one of them.",
    **{f"lab.plot.{key}": value for key, value in DEFAULT_LABELS.items()},
}

ZH = {
    "lab.title": "实验台",
    "lab.intro": (
        "亲手执行算法 1：单步更新判别器 D、单步更新生成器 G，或整轮运行，观察 D 如何追赶最优判别器 D*，"
        "G 如何追赶数据。任意两步之间都可以修改 k、学习率、损失函数或优化器。"
    ),
    "lab.data.title": "1 · 数据",
    "lab.data.explain": (
        "选择一个玩具预设，自己画二维点，或组合一个一维混合分布。\n"
        "更换数据会开始新的一局；网络是该预设自带的小型 MLP。"
    ),
    "lab.source": "数据",
    "lab.source.preset": "预设",
    "lab.source.draw": "画二维点",
    "lab.source.mixture": "组合一维混合分布",
    "lab.preset": "预设",
    "lab.preset.gauss1d": "一维正态 N(2, 0.5²)：论文中的图 1。",
    "lab.preset.bimodal1d": "位于 ±2 的两个正态的一维混合：G 能同时覆盖两个峰吗？",
    "lab.preset.ring2d": "8 个高斯组成的二维圆环：留意模式崩塌。",
    "lab.preset.grid2d": "25 个高斯组成的二维网格：更难的覆盖测试。",
    "lab.draw.help": "点击画布添加一个点；要填满一个区域，请在图表工具栏中选择框选或套索工具并拖动（之后画布回到点击模式）。也可以按参数放置形状。",
    "lab.draw.canvas": "画布",
    "lab.draw.count": "画布上有 {count} 个点（最多 {limit} 个）。",
    "lab.draw.empty": "还没有点：在画布上点击或套索，或放置一个形状，即可开始一局。",
    "lab.shape": "形状",
    "lab.shape.cluster": "簇",
    "lab.shape.ring": "圆环",
    "lab.shape.line": "线段",
    "lab.shape.x": "中心 x",
    "lab.shape.y": "中心 y",
    "lab.shape.size": "大小（散布、半径或半长）",
    "lab.shape.count": "点数",
    "lab.shape.angle": "线段角度（度）",
    "lab.place": "放置形状",
    "lab.clear": "清除所有点",
    "lab.added": "已添加 {count} 个点。",
    "lab.mixture.count": "分量个数",
    "lab.mixture.component": "分量 {index}",
    "lab.mixture.mean": "均值",
    "lab.mixture.sd": "标准差",
    "lab.mixture.weight": "权重",
    "lab.note.invalid": "有 {count} 个条目不是两个有限数值，已略去。",
    "lab.note.outside": "画布 [{low}, {high}]² 之外的 {count} 个点已略去。",
    "lab.note.capped": "{count} 个点超过实验台的用量：均匀保留其中 {limit} 个。",
    "lab.note.single": "只有一个点，就是一个小斑点：博弈可以进行，但多画一些点才是真正的较量。",
    "lab.note.components_capped": "{count} 个分量超过上限 {limit}：只使用前 {limit} 个。",
    "lab.note.component_invalid": "分量 {index} 不是一组有限数值，已略去。",
    "lab.note.component_clamped": "分量 {index} 已被限制到范围内（均值 −4…4，标准差 0.1…2，权重 0…10）。",
    "lab.game.title": "2 · 博弈",
    "lab.game.explain": (
        "“单步 D”更新一次判别器，“单步 G”更新一次生成器，“一轮”先更新 k 次 D 再更新一次 G。\n"
        "“后退”回到上一次操作之前的状态（保留最近 {history} 个）；“重置”从头开始。"
    ),
    "lab.step_d": "单步 D",
    "lab.step_g": "单步 G",
    "lab.round": "一轮",
    "lab.play": "播放",
    "lab.pause": "暂停",
    "lab.back": "后退",
    "lab.reset": "重置",
    "lab.speed": "速度（每秒轮数）",
    "lab.speed_help": "播放按节拍推进，每拍至少 {tick} 秒；每拍最多 {limit} 轮。",
    "lab.k": "k（每轮 D 的步数）",
    "lab.lr_d": "D 的学习率",
    "lab.lr_g": "G 的学习率",
    "lab.loss": "损失函数",
    "lab.optimizer": "优化器",
    "lab.loss.minimax": "极小极大（论文原式）",
    "lab.loss.nonsaturating": "非饱和",
    "lab.loss.lsgan": "最小二乘",
    "lab.optimizer.adam": "Adam 优化器",
    "lab.optimizer.sgd": "SGD 随机梯度下降",
    "lab.setting.clamped": "{name} = {given} 超出范围：实验台使用 {used}。",
    "lab.setting.ignored": "无法读取 {name}：实验台保留 {used}。",
    "lab.status": "第 {steps} 步 · 第 {rounds} 轮 · 可后退 {back} 个状态",
    "lab.playing": "正在播放：每 {interval} 秒 {rounds} 轮。",
    "lab.back_empty": "没有可以后退的状态：实验台只保留最近 {history} 次操作之前的状态。",
    "lab.diverged": (
        "博弈在第 {step} 步发散：{reason}（学习率 D {lr_d}，G {lr_g}）。图中显示的是该操作之前的状态。"
        "请降低学习率，然后按“后退”或“重置”。"
    ),
    "lab.reason.nonfinite_loss": "损失不再是有限数值",
    "lab.reason.nonfinite_weights": "某个权重不再是有限数值",
    "lab.reason.exploded_weights": "某个权重超过了 10,000",
    "lab.reason.exploded_samples": "生成样本飞出了 10,000 之外",
    "lab.metric.step": "步数",
    "lab.metric.jsd": "JSD(p_data ‖ p_g)，奈特",
    "lab.metric.distance": "平均 |D − D*|",
    "lab.metric.modes": "捕获的模式数",
    "lab.metric.points": "被覆盖的已画点",
    "lab.metric.hq": "高质量样本占比",
    "lab.view.overview.title": "模型概览",
    "lab.view.overview.explain": (
        "噪声 z 经过 G；D 给生成的 G(z) 和真实的 x 打分；两个损失都来自 D 的打分。\n"
        "着色的网络和虚线路径是上一步更新的部分，数字是当前状态的数值。"
    ),
    "lab.view.layers1d.title": "分层分布与图 1",
    "lab.view.layers1d.explain": (
        "绿色为 p_data，紫色为 p_g，橙色为 D，虚线为 D* = p_data / (p_data + p_g)；箭头表示 G 的损失把样本推向何方。\n"
        "下方把每个 z 与它映射到的 x = G(z) 连起来，如论文图 1。"
    ),
    "lab.view.layers2d.title": "分层分布",
    "lab.view.layers2d.explain": (
        "背景是 D：绿色处判为“真实”，紫色处判为“生成”；绿点是真实数据，紫点是 G(z)。\n"
        "每个箭头是 G 的损失推动该样本的方向（−∂L_G/∂x）。"
    ),
    "lab.view.manifold.title": "G 的流形",
    "lab.view.manifold.explain": (
        "一张 z 的方格网被 G 映射到平面上的样子：线条密集处，G 放了更多概率。\n"
        "若生成器把网格折叠到少数几处，它就崩塌到了少数几个模式上。"
    ),
    "lab.view.curves.title": "随步数的变化",
    "lab.view.curves1d.explain": (
        "每次更新的损失与 D 的平均输出，以及它们的均衡值（处处 D = 1/2）。\n"
        "每次操作后的 JSD(p_data ‖ p_g) 以及 D 与 D* 的距离：论文假设 D 始终接近 D*。"
    ),
    "lab.view.curves2d.explain": (
        "每次更新的损失与 D 的平均输出，以及它们的均衡值（处处 D = 1/2）。\n"
        "每次操作后捕获的模式数，以及高质量样本（距某个模式 3σ 以内）的占比。"
    ),
    "lab.handover.title": "3 · 完整训练",
    "lab.handover.explain": (
        "用同一个预设和这里的 k、学习率、损失函数与优化器启动一次带缓存的训练，并在训练页面跟踪它。\n"
        "完整训练还会使用该预设的稳定手段（R1 惩罚、EMA、学习率衰减）。"
    ),
    "lab.handover.button": "完整训练",
    "lab.handover.config": "将启动 {preset}：k = {k}，lr_D = {lr_d}，lr_G = {lr_g}，{loss}，{optimizer}。",
    "lab.handover.rounded": "{name} = {given} 不在训练页面的选项中：改用 {used}。",
    "lab.handover.own_data": "你自己的数据只留在实验台：训练缓存只训练预设。请选择一个预设再交给训练页面。",
    "lab.handover.no_page": "训练 {key} 已启动；请打开训练页面跟踪它。",
    "lab.handover.error": "无法启动训练：{detail}",
    "engine.lab_no_points": "没有可学习的点：在画布上点击或套索，或放置一个形状。",
    "engine.lab_no_components": "请为混合分布至少添加一个分量。",
    "engine.lab_no_weight": "所有分量的权重都是 0：请至少给一个分量正的权重。",
    "engine.lab_diverged_step": "博弈已经发散：请按“后退”或“重置”（并降低学习率）。",
    "engine.lab_unknown_target": "实验台只支持玩具目标；{name} 不在其中。",
    "lab.plot.noise": "z ~ N(0, I) 噪声",
    "lab.plot.generator": "G",
    "lab.plot.generator_sub": "生成器",
    "lab.plot.fake": "G(z)",
    "lab.plot.real": "x ~ p_data",
    "lab.plot.discriminator": "D",
    "lab.plot.discriminator_sub": "判别器",
    "lab.plot.loss_d": "D 的损失",
    "lab.plot.loss_g": "G 的损失",
    "lab.plot.d_real": "D(x) 均值",
    "lab.plot.d_fake": "D(G(z)) 均值",
    "lab.plot.updating_d": "上一步：更新了 D（D 损失的梯度）",
    "lab.plot.updating_g": "上一步：更新了 G（G 损失经 D 回传的梯度）",
    "lab.plot.updating_round": "上一次操作：先更新 k 次 D，再更新一次 G",
    "lab.plot.updating_none": "还没有任何一步：按“单步 D”“单步 G”或“一轮”",
    "lab.plot.x": "x",
    "lab.plot.density": "密度",
    "lab.plot.probability": "概率",
    "lab.plot.p_data": "p_data",
    "lab.plot.p_g": "p_g",
    "lab.plot.d": "D(x)",
    "lab.plot.d_star": "D*(x)",
    "lab.plot.gradient": "对 G(z) 的推动：−∂L_G/∂x",
    "lab.plot.mapping": "z → G(z) 映射",
    "lab.plot.z_axis": "z（下）→ x（上）",
    "lab.plot.samples": "G(z)",
    "lab.plot.real_samples": "真实 x",
    "lab.plot.warp_h": "z 网格：z₂ 为常数的线",
    "lab.plot.warp_v": "z 网格：z₁ 为常数的线",
    "lab.plot.step": "步数",
    "lab.plot.loss": "损失",
    "lab.plot.equilibrium_d": "均衡时 D 的损失",
    "lab.plot.equilibrium_g": "均衡时 G 的损失",
    "lab.plot.half": "D = 1/2",
    "lab.plot.jsd": "JSD（奈特）",
    "lab.plot.jsd_max": "ln 2",
    "lab.plot.distance": "平均 |D − D*|",
    "lab.plot.modes_captured": "捕获的模式数",
    "lab.plot.modes_total": "数据中的模式数",
    "lab.plot.hq_fraction": "高质量样本占比",
    "lab.plot.points": "你画的点",
}
