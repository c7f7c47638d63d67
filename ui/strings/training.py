"""Strings of the Training page (EN and ZH carry identical keys)."""

from gan_engine.plots.training import DEFAULT_LABELS


EN = {
    "training.title": "Training",
    "training.intro": (
        "Algorithm 1 of Goodfellow et al. (2014): k steps of the discriminator D, then one step of "
        "the generator G, repeated. Pick a preset, change k, the learning rates or the loss, and "
        "press Train. Every configuration is trained once and then served from the cache to "
        "everyone; the settings live in the page's address, so a link shares them."
    ),
    "training.settings": "Run settings",
    "training.preset": "Preset",
    "training.preset.gauss1d": "1-D normal N(2, 0.5²): the paper's Figure 1, trained for real.",
    "training.preset.bimodal1d": "1-D mixture of two normals at ±2: does G cover both modes?",
    "training.preset.ring2d": "2-D ring of 8 Gaussians: the classic mode-collapse test.",
    "training.preset.grid2d": "2-D grid of 25 Gaussians: a harder mode-coverage test.",
    "training.preset.mnist-gan": "MNIST digits, unconditional fully connected GAN with LayerNorm, an EMA generator "
                                 "and a D that judges four samples at once (PacGAN), so it notices when some "
                                 "digits are missing (2-4 min of CPU): all ten digits.",
    "training.preset.mnist-cgan": "MNIST digits, conditional GAN: G and D see the digit's label. Small convolutional "
                                  "networks; D reads the label by a projection and also names the digit, with an "
                                  "eleventh answer, \"generated\", for G's samples (AM-GAN); G is also penalised "
                                  "when two of its samples of one digit look alike (mode seeking). About 1.5 min "
                                  "of CPU: every digit recognised about 97-98% of the time.",
    "training.preset.mnist-cgan-mlp": "MNIST digits, conditional GAN with the notebook's fully connected networks, "
                                      "a projection discriminator, PacGAN pairs and an EMA generator (about 5 min "
                                      "of CPU): the previous mnist-cgan, to compare with.",
    "training.preset.mnist-cdcgan": "MNIST digits, conditional convolutional GAN: the shipped generator's recipe, "
                                    "the earlier mnist-cgan (D names real digits only, AC-GAN, and sees pairs of one "
                                    "digit) twice as wide and trained four times as long (about 12 min of CPU).",
    "training.preset.mnist-dcgan": "MNIST digits, unconditional convolutional (DCGAN-style) networks with batch norm, "
                                   "PacGAN pairs and an EMA generator (2.5-3 min of CPU): all ten digits.",
    "training.preset.faces": "Faces from your HDF5 file, convolutional networks.",
    "training.preset.seed-notebook-cgan": "The source notebook's conditional MNIST settings (batch size 1, Adam 1e-4).",
    "training.preset.seed-notebook-gauss1d": "The source notebook's settings on the 1-D normal (batch size 1).",
    "training.faces_missing": (
        "The faces preset appears once a faces file is in place: put it in {folder} as {names} "
        "(convert a folder of images with `python -m gan_engine convert-faces`), or upload one below."
    ),
    "training.faces_missing_visitor": (
        "The faces preset appears once a faces file is in place: upload one below (convert a folder "
        "of images with `python -m gan_engine convert-faces`), or ask whoever runs this server to add one."
    ),
    "training.upload.title": "Use your own data file",
    "training.upload.intro": (
        "Train on your own digits or faces. Files are checked before any run starts; at most {mb} MB. "
        "The file stays on this server for your runs and may be removed when space runs short."
    ),
    "training.upload.mnist": "MNIST digits: one CSV file, or an IDX images file with its labels file",
    "training.upload.mnist_help": "CSV: a label then 784 pixel values (0–255) per line. IDX: gzipped or not.",
    "training.upload.faces": "Faces: one HDF5 file in the notebook's format",
    "training.upload.faces_help": "A group 'img_align_celeba' of H×W×3 uint8 images (convert-faces makes one).",
    "training.upload.using_mnist": "The MNIST presets now train on `{name}`.",
    "training.upload.using_faces": "The faces preset now trains on `{name}`.",
    "training.k": "k: discriminator steps per generator step",
    "training.k_help": "Algorithm 1 trains D k times for every step of G. The paper used k = 1.",
    "training.lr_d": "Learning rate of D",
    "training.lr_g": "Learning rate of G",
    "training.batch": "Batch size m",
    "training.iterations": "Iterations (generator steps)",
    "training.iterations_help": "A whole number from {low} to {high}. Each iteration is k discriminator steps and "
                                "one generator step.",
    "training.loss": "Loss",
    "training.loss_help": (
        "minimax: G minimises log(1 − D(G(z))) as in the value function, whose gradient vanishes "
        "early on; non-saturating: G maximises log D(G(z)) instead (the paper's advice); "
        "least squares: D and G fit their targets by squared error (LSGAN)."
    ),
    "training.loss.minimax": "minimax",
    "training.loss.nonsaturating": "non-saturating",
    "training.loss.lsgan": "least squares (LSGAN)",
    "training.optimizer.adam": "Adam",
    "training.optimizer.sgd": "SGD",
    "training.smoothing": "One-sided label smoothing",
    "training.smoothing_help": "Real images are labelled 1 − this value when D is trained.",
    "training.optimizer": "Optimizer",
    "training.latent": "Latent size (dimension of z)",
    "training.seed": "Seed",
    "training.section": "View",
    "training.section.train": "Train",
    "training.section.compare": "Compare",
    "training.section.sweep": "Sweep",
    "training.section.library": "Run library",
    "training.url.preset": "The link asked for the preset `{value}`, which does not exist; showing `{default}`.",
    "training.url.preset_faces": "The link asked for the preset `faces`, but this server has no faces file yet (see the note under Preset); showing `{default}`.",
    "training.url.clamped": "The link set {name} to `{value}`, outside the allowed range; using `{used}`.",
    "training.url.rounded": "The link set {name} to `{value}`; using the nearest offered value `{used}`.",
    "training.url.ignored": "The link's value `{value}` for {name} is not a valid value and was ignored.",
    "training.url.view": "The link asks for the view `{value}`, which this page does not have: showing Train "
                         "(views: train, compare, sweep, library).",
    "training.device_cpu": "No GPU on this machine: runs train on the CPU.",
    "training.device_gpu": "Runs train on the GPU ({device}).",
    "training.where": "Trains on {node} ({device}).",
    "training.cluster": (
        "Ray cluster: {nodes} training node(s), {cpus_busy:g} of {cpus:g} CPUs and {gpus_busy:g} of {gpus:g} GPUs "
        "in use, {waiting} run(s) waiting."
    ),
    "training.train": "Train",
    "training.cancel": "Cancel",
    "training.stop_watching": "Stop watching",
    "training.others_watch": "Other visitors are watching this run, so it keeps training for them; you can stop watching it.",
    "training.not_yours": "Only the visitor who launched this run (when nobody else watches it) or the teacher can cancel it on this shared demo; it keeps training.",
    "training.detached": "You stopped watching that run; it keeps training for the others and will be in the cache when it ends.",
    "training.queued": "Waiting for a free worker: place {position} in the queue.",
    "training.progress": "Iteration {iteration} of {total} · about {eta} left · on {device}",
    "training.device_threads": "{device}, {threads} thread(s)",
    "training.starting": "Starting: loading the data and building the networks for {total} iterations…",
    "training.from_cache": (
        "From cache: this exact configuration was trained before, so its results are shown at once."
    ),
    "training.outcome.diverged": "Diverged: {message} The curves below show the run up to that point.",
    "training.outcome.failed": "The run failed: {message}",
    "training.outcome.cancelled": "Cancelled. Press Train to start it again.",
    "training.outcome.interrupted": (
        "Interrupted before it finished ({message}). Press Train to start it again."
    ),
    "training.trained_on": "Trained on {device} in {seconds} · iteration {iteration} of {total}.",
    "training.stopped.diverged": "Diverged at iteration {iteration} of {total}, after {seconds} on {device}.",
    "training.stopped.failed": "Failed at iteration {iteration} of {total}, after {seconds} on {device}.",
    "training.stopped.cancelled": "Cancelled at iteration {iteration} of {total}, after {seconds} on {device}.",
    "training.stopped.interrupted": "Interrupted at iteration {iteration} of {total}, after {seconds} on {device}.",
    "training.run_missing": "That run is no longer in the cache.",
    "training.no_data_yet": "No iterations logged yet.",
    "training.scrubber": "Snapshot at iteration",
    "training.snapshot_at": "Snapshot at iteration {iteration}.",
    "training.verdict_so_far": "So far: {verdict}",
    "training.frechet_help": ("Judge A's Fréchet distance between the features of 1,000 generated digits and real "
                              "ones; two sets of real digits are {floor:.1f} apart (the floor). The worse of the two "
                              "judges puts this run at {ratio:.2f} times its floor."),
    "training.disagreement_help": ("The largest difference between the two judges (two classifiers of different "
                                   "architectures, trained on different digits) on any one digit. Every figure "
                                   "here is the stricter judge's."),
    "training.quality_cost": "Judging the snapshots took {seconds:.1f} s, {share:.1%} of the run.",
    "training.this_run": "this run",
    "training.anchors_title": "Against published results",
    "training.anchor_method": "method",
    "training.anchor_source": "source",
    "training.anchor_goal": "goal",
    "training.anchor_goal_source": "GAN Explorer's target for the shipped preset",
    "training.anchors_caption": (
        "Published rows use 2,500 samples; a sample is high quality within 3σ of a mode centre "
        "and a mode is captured when it has at least one. The goal rows are this project's targets "
        "for the shipped presets."
    ),
    "training.compare_need_two": "Train at least two runs to compare them (for example k = 1 and k = 5).",
    "training.compare_runs": "Runs to compare",
    "training.compare_metric": "Curve",
    "training.compare_pick": "Choose two or more runs.",
    "training.sweep_intro": (
        "Every cell is the preset {preset} with your settings, except k and the learning rate "
        "(used for both D and G). Cells come from the cache; click one to open its run."
    ),
    "training.sweep_k": "Values of k",
    "training.sweep_lr": "Learning rates",
    "training.sweep_metric": "Final metric",
    "training.sweep_launch": "Train the {count} missing cells",
    "training.sweep_open": "Or pick a trained cell",
    "training.open": "Open",
    "training.delete": "Delete",
    "training.delete_teacher_only": "Only the teacher can delete runs on this shared demo.",
    "training.delete_confirm": "Delete {run} ({size} MB) from the cache for everyone? This cannot be undone.",
    "training.delete_yes": "Yes, delete it",
    "training.delete_no": "Keep it",
    "training.download": "Download run file",
    "training.library_filter": "Filter (any column)",
    "training.library_empty": "No runs in the cache yet.",
    "training.library_no_match": "None of the {count} cached runs matches `{query}`.",
    "training.library_run": "Run",
    "training.import.title": "Bring back a run file",
    "training.import.intro": (
        "A run file downloaded from a run library (here or on another machine), at most {mb} MB. It is "
        "checked before it joins the cache; its configuration is then served to everyone like any other run."
    ),
    "training.import.file": "Run file (.h5)",
    "training.import.imported": "Added to the cache: {preset}, {status} (run {run}).",
    "training.import.cached": "This run is already in the cache: {preset}, {status} (run {run}).",
    "training.status.queued": "queued",
    "training.status.running": "running",
    "training.status.done": "done",
    "training.status.failed": "failed",
    "training.status.diverged": "diverged",
    "training.status.cancelled": "cancelled",
    "training.status.interrupted": "interrupted",
    "training.status.unreadable": "unreadable",
    "training.column.key": "key",
    "training.column.preset": "preset",
    "training.column.target": "target",
    "training.column.k": "k",
    "training.column.lr_d": "learning rate of D",
    "training.column.lr_g": "learning rate of G",
    "training.column.loss": "loss",
    "training.column.batch_size": "batch size",
    "training.column.iterations": "iterations",
    "training.column.status": "status",
    "training.column.iteration": "reached iteration",
    "training.column.total": "of",
    "training.column.device": "device",
    "training.column.seconds": "seconds",
    "training.column.created": "created",
    "training.column.message": "message",
    "training.iterations_short": "{iterations} it",
    # the figures' English texts have one owner: the figure builders' defaults
    **{f"training.plot.{name}": text for name, text in DEFAULT_LABELS.items()},
}

ZH = {
    "training.title": "训练",
    "training.intro": (
        "Goodfellow 等人（2014）的算法 1：先训练判别器 D k 步，再训练生成器 G 一步，如此反复。"
        "选择一个预设，修改 k、学习率或损失函数，然后点击“训练”。每种配置只训练一次，之后从缓存中"
        "直接提供给所有人；设置保存在页面地址里，分享链接即可分享设置。"
    ),
    "training.settings": "训练设置",
    "training.preset": "预设",
    "training.preset.gauss1d": "一维正态分布 N(2, 0.5²)：真正训练出来的论文图 1。",
    "training.preset.bimodal1d": "一维双峰混合分布（峰在 ±2）：G 能否覆盖两个峰？",
    "training.preset.ring2d": "二维环形 8 个高斯分布：经典的模式坍塌测试。",
    "training.preset.grid2d": "二维网格 25 个高斯分布：更难的模式覆盖测试。",
    "training.preset.mnist-gan": "MNIST 手写数字，无条件全连接 GAN，带 LayerNorm 和 EMA 生成器；D 一次判别四个样本（PacGAN），能察觉缺少某些数字（CPU 2–4 分钟）：十个数字都会生成。",
    "training.preset.mnist-cgan": "MNIST 手写数字，条件 GAN：G 和 D 都能看到数字标签。小型卷积网络；D 通过投影读取标签，"
                                  "同时说出数字是几，对 G 的样本还有第十一个答案“生成的”（AM-GAN）；G 生成的同一数字的两个样本"
                                  "过于相似时也会受罚（模式寻求）。CPU 约 1.5 分钟：每个数字的识别率约 97–98%。",
    "training.preset.mnist-cgan-mlp": "MNIST 手写数字，条件 GAN：沿用笔记本的全连接网络，加上投影判别器、PacGAN 成对判别和 "
                                      "EMA 生成器（CPU 约 5 分钟）：之前的 mnist-cgan，留作对比。",
    "training.preset.mnist-cdcgan": "MNIST 手写数字，条件卷积 GAN：随项目提供的生成器所用的配方，即早先的 mnist-cgan（D 只说出真实数字是几（AC-GAN），并成对看同一数字的样本）加宽一倍、训练四倍长（CPU 约 12 分钟）。",
    "training.preset.mnist-dcgan": "MNIST 手写数字，无条件卷积网络（DCGAN 风格），带批归一化、PacGAN 成对判别和 EMA 生成器（CPU 2.5–3 分钟）：十个数字都会生成。",
    "training.preset.faces": "来自你的 HDF5 文件的人脸，卷积网络。",
    "training.preset.seed-notebook-cgan": "原始笔记本的条件 MNIST 设置（批大小 1，Adam 1e-4）。",
    "training.preset.seed-notebook-gauss1d": "原始笔记本在一维正态分布上的设置（批大小 1）。",
    "training.faces_missing": (
        "放好人脸文件后才会出现人脸预设：把它以 {names} 的名字放到 {folder} 中"
        "（可以用 `python -m gan_engine convert-faces` 把图片文件夹转换成该文件），或在下方上传一个。"
    ),
    "training.faces_missing_visitor": (
        "放好人脸文件后才会出现人脸预设：在下方上传一个（可以用 `python -m gan_engine convert-faces` "
        "把图片文件夹转换成该文件），或请本服务器的管理者添加一个。"
    ),
    "training.upload.title": "使用你自己的数据文件",
    "training.upload.intro": (
        "用你自己的手写数字或人脸来训练。文件在任何训练开始之前都会先经过检查；大小不超过 {mb} MB。"
        "文件保存在本服务器上供你的训练使用，空间不足时可能被删除。"
    ),
    "training.upload.mnist": "MNIST 手写数字：一个 CSV 文件，或一个 IDX 图像文件及其标签文件",
    "training.upload.mnist_help": "CSV：每行一个标签加 784 个像素值（0–255）。IDX：可以是 gzip 压缩的。",
    "training.upload.faces": "人脸：一个采用笔记本格式的 HDF5 文件",
    "training.upload.faces_help": "包含一个名为 'img_align_celeba' 的组，其中是 H×W×3 的 uint8 图像（convert-faces 可以生成）。",
    "training.upload.using_mnist": "MNIST 预设现在使用 `{name}` 训练。",
    "training.upload.using_faces": "人脸预设现在使用 `{name}` 训练。",
    "training.k": "k：每个生成器步对应的判别器步数",
    "training.k_help": "算法 1 中，G 每训练一步，D 就训练 k 步。论文使用 k = 1。",
    "training.lr_d": "D 的学习率",
    "training.lr_g": "G 的学习率",
    "training.batch": "批大小 m",
    "training.iterations": "迭代次数（生成器步数）",
    "training.iterations_help": "{low} 到 {high} 之间的整数。每次迭代包括 k 个判别器步和一个生成器步。",
    "training.loss": "损失函数",
    "training.loss_help": (
        "极小极大：G 按价值函数最小化 log(1 − D(G(z)))，训练初期梯度会消失；"
        "非饱和：G 改为最大化 log D(G(z))（论文的建议）；最小二乘：D 和 G 用平方误差拟合各自的目标（LSGAN）。"
    ),
    "training.loss.minimax": "极小极大（minimax）",
    "training.loss.nonsaturating": "非饱和（non-saturating）",
    "training.loss.lsgan": "最小二乘（LSGAN）",
    "training.optimizer.adam": "Adam（自适应矩估计）",
    "training.optimizer.sgd": "SGD（随机梯度下降）",
    "training.smoothing": "单侧标签平滑",
    "training.smoothing_help": "训练 D 时，真实样本的标签取 1 减去这个值。",
    "training.optimizer": "优化器",
    "training.latent": "隐变量维度（z 的维数）",
    "training.seed": "随机种子",
    "training.section": "视图",
    "training.section.train": "训练",
    "training.section.compare": "对比",
    "training.section.sweep": "参数扫描",
    "training.section.library": "训练记录库",
    "training.url.preset": "链接中的预设 `{value}` 不存在，改为显示 `{default}`。",
    "training.url.preset_faces": "链接要求使用 `faces` 预设，但本服务器上还没有人脸数据文件（见“预设”下方的说明），改为显示 `{default}`。",
    "training.url.clamped": "链接把 {name} 设为 `{value}`，超出允许范围；改用 `{used}`。",
    "training.url.rounded": "链接把 {name} 设为 `{value}`；改用最接近的可选值 `{used}`。",
    "training.url.ignored": "链接中 {name} 的值 `{value}` 无效，已忽略。",
    "training.url.view": "链接要求的视图 `{value}` 在本页不存在：显示“训练”"
                         "（视图：train、compare、sweep、library）。",
    "training.device_cpu": "这台机器没有 GPU：训练在 CPU 上进行。",
    "training.device_gpu": "训练在 GPU（{device}）上进行。",
    "training.where": "训练节点：{node}（{device}）。",
    "training.cluster": (
        "Ray 集群：{nodes} 个训练节点，CPU 已用 {cpus_busy:g} / {cpus:g}，GPU 已用 {gpus_busy:g} / {gpus:g}，"
        "{waiting} 个训练在等待。"
    ),
    "training.train": "训练",
    "training.cancel": "取消",
    "training.stop_watching": "不再关注",
    "training.others_watch": "其他访客也在关注这次训练，因此它会继续训练；你可以不再关注它。",
    "training.not_yours": "在这个共享演示上，只有发起这次训练的访客（且没有其他人在关注时）或老师才能取消它；它会继续训练。",
    "training.detached": "你已不再关注那次训练；它会为其他人继续训练，结束后会留在缓存里。",
    "training.queued": "正在等待空闲的训练进程：排在队列第 {position} 位。",
    "training.progress": "第 {iteration} / {total} 次迭代 · 预计还需 {eta} · 设备 {device}",
    "training.device_threads": "{device}，{threads} 个线程",
    "training.starting": "正在启动：加载数据并构建网络，共 {total} 次迭代……",
    "training.from_cache": "来自缓存：这个配置以前训练过，因此立即显示结果。",
    "training.outcome.diverged": "训练发散：{message} 下面的曲线显示发散之前的过程。",
    "training.outcome.failed": "训练失败：{message}",
    "training.outcome.cancelled": "已取消。点击“训练”可以重新开始。",
    "training.outcome.interrupted": "训练在完成前被中断（{message}）。点击“训练”可以重新开始。",
    "training.trained_on": "在 {device} 上训练，用时 {seconds} · 第 {iteration} / {total} 次迭代。",
    "training.stopped.diverged": "在 {device} 上训练 {seconds} 后，于第 {iteration} / {total} 次迭代时发散。",
    "training.stopped.failed": "在 {device} 上训练 {seconds} 后，于第 {iteration} / {total} 次迭代时失败。",
    "training.stopped.cancelled": "在 {device} 上训练 {seconds} 后，于第 {iteration} / {total} 次迭代时被取消。",
    "training.stopped.interrupted": "在 {device} 上训练 {seconds} 后，于第 {iteration} / {total} 次迭代时被中断。",
    "training.run_missing": "缓存中已经没有这次训练了。",
    "training.no_data_yet": "还没有记录任何迭代。",
    "training.scrubber": "快照所在的迭代",
    "training.snapshot_at": "第 {iteration} 次迭代时的快照。",
    "training.verdict_so_far": "目前：{verdict}",
    "training.frechet_help": "评审 A 计算的 1,000 个生成数字与真实数字特征之间的 Fréchet 距离；两组真实数字之间相距 "
                             "{floor:.1f}（下限）。两位评审中较严格的一位给出的距离是其下限的 {ratio:.2f} 倍。",
    "training.disagreement_help": "两位评审（两个结构不同、用不同数字训练的分类器）在任一数字上的最大分歧。"
                                  "这里的每个数字都取较严格评审的结果。",
    "training.quality_cost": "评审快照用了 {seconds:.1f} 秒，占本次训练的 {share:.1%}。",
    "training.this_run": "本次训练",
    "training.anchors_title": "与已发表结果对比",
    "training.anchor_method": "方法",
    "training.anchor_source": "来源",
    "training.anchor_goal": "目标",
    "training.anchor_goal_source": "本项目为内置预设设定的目标",
    "training.anchors_caption": (
        "已发表结果使用 2,500 个样本；落在某个模式中心 3σ 以内的样本算高质量样本，"
        "至少有一个高质量样本的模式算被捕获。目标行是本项目为内置预设设定的指标。"
    ),
    "training.compare_need_two": "至少训练两次才能对比（例如 k = 1 和 k = 5）。",
    "training.compare_runs": "要对比的训练",
    "training.compare_metric": "曲线",
    "training.compare_pick": "请选择两个或更多训练。",
    "training.sweep_intro": (
        "每个格子都是预设 {preset} 加上你的设置，只有 k 和学习率（D 和 G 共用）不同。"
        "格子的结果来自缓存；点击格子即可打开对应的训练。"
    ),
    "training.sweep_k": "k 的取值",
    "training.sweep_lr": "学习率",
    "training.sweep_metric": "最终指标",
    "training.sweep_launch": "训练缺少的 {count} 个格子",
    "training.sweep_open": "或者选择一个已训练的格子",
    "training.open": "打开",
    "training.delete": "删除",
    "training.delete_teacher_only": "在这个共享演示上，只有老师可以删除训练记录。",
    "training.delete_confirm": "要为所有人从缓存中删除 {run}（{size} MB）吗？此操作无法撤销。",
    "training.delete_yes": "确认删除",
    "training.delete_no": "保留",
    "training.download": "下载训练文件",
    "training.library_filter": "筛选（任意列）",
    "training.library_empty": "缓存中还没有训练。",
    "training.library_no_match": "缓存中的 {count} 次训练都不匹配 `{query}`。",
    "training.library_run": "训练",
    "training.import.title": "导入训练文件",
    "training.import.intro": (
        "从训练记录库（本机或其他机器上的）下载的训练文件，最大 {mb} MB。文件在加入缓存之前会先经过检查；"
        "之后它的配置会像其他训练一样提供给所有人。"
    ),
    "training.import.file": "训练文件（.h5）",
    "training.import.imported": "已加入缓存：{preset}，{status}（训练 {run}）。",
    "training.import.cached": "缓存中已有这次训练：{preset}，{status}（训练 {run}）。",
    "training.status.queued": "排队中",
    "training.status.running": "训练中",
    "training.status.done": "已完成",
    "training.status.failed": "失败",
    "training.status.diverged": "发散",
    "training.status.cancelled": "已取消",
    "training.status.interrupted": "已中断",
    "training.status.unreadable": "无法读取",
    "training.column.key": "键",
    "training.column.preset": "预设",
    "training.column.target": "目标分布",
    "training.column.k": "k",
    "training.column.lr_d": "D 的学习率",
    "training.column.lr_g": "G 的学习率",
    "training.column.loss": "损失函数",
    "training.column.batch_size": "批大小",
    "training.column.iterations": "迭代次数",
    "training.column.status": "状态",
    "training.column.iteration": "已到迭代",
    "training.column.total": "总迭代",
    "training.column.device": "设备",
    "training.column.seconds": "用时（秒）",
    "training.column.created": "创建时间",
    "training.column.message": "信息",
    "training.iterations_short": "{iterations} 次迭代",
    "training.plot.iteration": "迭代",
    "training.plot.loss": "损失",
    "training.plot.loss_d": "D 的损失",
    "training.plot.loss_g": "G 的损失",
    "training.plot.equilibrium_d": "均衡时 D 的损失",
    "training.plot.equilibrium_g": "均衡时 G 的损失",
    "training.plot.probability": "概率",
    "training.plot.d_real": "D(x) 均值",
    "training.plot.d_fake": "D(G(z)) 均值",
    "training.plot.half": "D = 1/2",
    "training.plot.density": "密度",
    "training.plot.x": "x",
    "training.plot.p_data": "p_data",
    "training.plot.p_g": "p_g",
    "training.plot.d": "D(x)",
    "training.plot.d_star": "D*(x)",
    "training.plot.mapping": "z → G(z)",
    "training.plot.z_axis": "z（下）→ x（上）",
    "training.plot.jsd": "JSD（奈特）",
    "training.plot.jsd_max": "ln 2（完全不重叠）",
    "training.plot.modes_captured": "捕获的模式数",
    "training.plot.modes_total": "目标分布的模式数",
    "training.plot.hq_fraction": "高质量样本比例",
    "training.plot.reverse_kl": "反向 KL（奈特）",
    "training.plot.samples": "G(z)",
    "training.plot.centers": "模式中心",
    "training.plot.gradient": "生成器梯度",
    "training.plot.k": "k",
    "training.plot.lr": "学习率",
    "training.plot.missing": "尚未训练",
    "training.plot.snapshot": "快照",
    "training.plot.digits_produced": "生成的数字种类",
    "training.plot.min_accuracy": "最差数字的识别率",
    "training.plot.min_share": "最少数字的占比",
    "training.plot.diversity_ratio": "多样性 / 真实数字",
    "training.plot.frechet": "Fréchet 距离",
    "training.plot.frechet_floor": "真实对真实的下限",
    "training.plot.frechet_ratio": "Fréchet / 下限（较严格评审）",
    "training.plot.judge_disagreement": "评审之间的分歧",
    "training.plot.quality_seconds": "评审用时（秒）",
    "training.plot.quality_samples": "评审的样本数",
    "training.plot.digit": "数字",
    "training.plot.bar": "标准",
}
