"""Strings of the Gallery page (pages/3_Gallery.py)."""

EN = {
    "gallery.title": "Gallery",
    "gallery.intro": (
        "Draw digits from trained generators, walk between random seeds and morph one digit into "
        "another. Everything is computed on demand from the generator's weights; the same seed "
        "always gives the same picture."
    ),
    "gallery.no_generators": (
        "No generator is available: the shipped ones are missing from gan_engine/pretrained and the run "
        "cache holds no finished image run. Train one on the Training page (an MNIST preset), then come back."
    ),
    "gallery.generator": "Generator",
    "gallery.generator_help": "Generators that ship with GAN Explorer, and every finished image run in the run cache.",
    "gallery.source_pretrained": "{preset} · ships with GAN Explorer · {iterations:,} iterations",
    "gallery.source_run": "{preset} · run {run} · {iterations:,} iterations",
    "gallery.load_failed": "The generator {name} cannot be loaded: {error} Choose another generator.",
    "gallery.model_line": "{kind} generator · latent dimension {latent} · preset {preset} · {iterations:,} iterations",
    "gallery.model_same_as": " · exactly the settings of preset {preset}",
    "gallery.conditional": "Conditional",
    "gallery.unconditional": "Unconditional",
    "gallery.quality_line": (
        "Measured by {judges} judges on {n:,} samples per digit, the stricter one counting: every digit "
        "recognised at least {accuracy:.1%} of the time; within-class diversity at least {diversity:.0%} of real "
        "digits'."
    ),
    "gallery.seed": "Seed",
    "gallery.link_generator": "The generator `{value}` is not on this server; showing {shown}.",
    "gallery.link_view": "The view `{value}` needs a conditional generator, and {generator} is not one; showing Samples.",
    "gallery.seed_help": "A whole number from 0 to {max}. Each seed picks fixed latent vectors z.",
    "gallery.view": "View",
    "gallery.view.sample": "Samples",
    "gallery.view.same_z": "Same z, every digit",
    "gallery.view.interpolate": "Interpolate",
    "gallery.view.corners": "Corner grid",
    "gallery.view.morph": "Label morph",
    "gallery.view.diagnostics": "Diagnostics",
    "gallery.digit": "Digit",
    "gallery.all_digits": "All ten",
    "gallery.grid_size": "Grid size",
    "gallery.grid_size_help": "Images per side (for all ten digits: images per digit row).",
    "gallery.grid_size_help_unconditional": "Images per side of the square grid.",
    "gallery.sample_caption": "Samples from seed {seed}.",
    "gallery.sample_rows": "Row k shows digit k.",
    "gallery.download_png": "Download PNG",
    "gallery.download_gif": "Download GIF",
    "gallery.rows": "Rows (latent vectors)",
    "gallery.same_z_caption": (
        "Each row keeps one latent vector z and changes only the class input 0 to 9. What stays the "
        "same along a row (slant, stroke width, size) is what z encodes; the digit itself comes from the label."
    ),
    "gallery.seed_b": "End seed",
    "gallery.steps": "Steps",
    "gallery.lerp_caption": "lerp: the straight line from seed {a} to seed {b}",
    "gallery.slerp_caption": "slerp: the great-circle path from seed {a} to seed {b}",
    "gallery.norm_title": "Length of z along each path",
    "gallery.norm_x": "position along the path",
    "gallery.norm_y": "‖z‖",
    "gallery.norm_shell": "√d, the Gaussian shell",
    "gallery.norm_explain": (
        "A latent vector drawn from N(0, I) in d = {d} dimensions almost always has length close to "
        "√d ≈ {shell:.1f}: training only ever showed the generator points on that shell. The straight "
        "path cuts inside it (down to ‖z‖ = {low:.1f} here), where images tend to fade or blur; slerp stays on it."
    ),
    "gallery.corner_tr": "Top-right seed",
    "gallery.corner_bl": "Bottom-left seed",
    "gallery.corner_br": "Bottom-right seed",
    "gallery.method": "Path",
    "gallery.corners_caption": "Corners: seed {tl} (top left, the main seed), {tr}, {bl}, {br}.",
    "gallery.morph_from": "From digit",
    "gallery.morph_to": "To digit",
    "gallery.morph_caption": "z fixed by seed {seed}; the class input slides from {start} to {end}.",
    "gallery.diag_not_digits": "The digit classifier can only judge 28x28 MNIST digits; this generator makes other images.",
    "gallery.scores_recorded": (
        "Recorded with the generator: {n:,} samples per digit judged by the shipped classifiers ({judges} on real "
        "digits they never saw). Every figure is the stricter judge's."
    ),
    "gallery.scores_live": (
        "Computed now: {n:,} samples per digit judged by the shipped classifiers ({judges} on real digits they "
        "never saw). Every figure is the stricter judge's."
    ),
    "gallery.judge_accuracy": "judge {name} {acc:.2%}",
    "gallery.list_comma": ", ",
    "gallery.list_break": "; ",
    "gallery.per_judge": "Each judge alone: {judges}.",
    "gallery.judge_line_conditional": "judge {name}: worst digit {worst:.1%}, worst diversity {diversity:.0%}",
    "gallery.judge_line_share": "judge {name}: rarest digit {worst:.1%} of the samples, worst diversity {diversity:.0%}",
    "gallery.metric_disagreement": "Judges' disagreement",
    "gallery.metric_disagreement_help": (
        "The largest difference between the two judges on any one digit (accuracy, or share of the samples). "
        "Judge A is a small CNN trained on the digits the generators train on; judge B a CNN of another design "
        "trained on the held-out digits. A large disagreement means a score rests on one judge's quirks."
    ),
    "gallery.scores_live_unconditional": (
        "Computed now: {n:,} samples, each read as a digit by the shipped classifiers ({judges} on real digits "
        "they never saw). Every figure is the stricter judge's."
    ),
    "gallery.scores_recorded_unconditional": (
        "Recorded with the generator: {n:,} samples, each read as a digit by the shipped classifiers ({judges} on "
        "real digits they never saw). Every figure is the stricter judge's."
    ),
    "gallery.metric_accuracy": "Worst digit's accuracy",
    "gallery.metric_accuracy_help": "Share of samples asked to be digit c that the classifier reads as c, for the weakest digit.",
    "gallery.metric_classes": "Digits produced",
    "gallery.metric_classes_help": "How many of the ten digits make up at least 2% of the samples. Fewer than ten means mode collapse.",
    "gallery.metric_diversity": "Worst diversity vs real",
    "gallery.metric_diversity_help": "Within-class diversity of the samples divided by that of real digits, for the weakest digit.",
    "gallery.metric_frechet": "Fréchet distance",
    "gallery.metric_frechet_help": (
        "Judge A's distance between the features of {n} samples and of real held-out digits (lower is better). "
        "Two halves of the real digits are {floor:.1f} apart: that is the best reachable value. The worse of the "
        "two judges puts the samples at {ratio:.2f} times its floor."
    ),
    "gallery.generated": "generated",
    "gallery.real": "real digits",
    "gallery.accuracy_title": "Read as the digit that was asked for",
    "gallery.accuracy_y": "accuracy",
    "gallery.histogram_title": "Which digits the samples are",
    "gallery.histogram_y": "share of samples",
    "gallery.diversity_title": "Within-class diversity",
    "gallery.diversity_y": "diversity / real digits'",
    "gallery.diversity_explain": (
        "Diversity: the mean distance between two images of the same digit, measured in the classifier's "
        "128 penultimate features. A collapsed generator that draws the same 7 for every z scores near zero."
    ),
    "gallery.nearest_title": "Is it memorising? Nearest training images",
    "gallery.nearest_samples": "Samples (seed {seed})",
    "gallery.nearest_matches": "The closest image of the training data to each sample above",
    "gallery.nearest_explain": (
        "Root-mean-square pixel distances: {distances}. Real held-out digits lie {real:.3f} from their "
        "nearest training image (median); samples much closer than that are copies."
    ),
    "gallery.nearest_no_data": "The training images are needed for this comparison and are not on this machine. {error}",
}

ZH = {
    "gallery.title": "画廊",
    "gallery.intro": (
        "用训练好的生成器画数字，在随机种子之间漫游，把一个数字渐变成另一个。所有图像都按需由生成器的权重"
        "算出；同一个种子总是给出同一张图。"
    ),
    "gallery.no_generators": (
        "没有可用的生成器：gan_engine/pretrained 中缺少随项目发布的模型，运行缓存里也没有已完成的图像训练。"
        "请先在训练页面用 MNIST 预设训练一个，再回到这里。"
    ),
    "gallery.generator": "生成器",
    "gallery.generator_help": "随 GAN 探索器发布的生成器，以及运行缓存中所有已完成的图像训练。",
    "gallery.source_pretrained": "{preset} · 随 GAN 探索器发布 · {iterations:,} 次迭代",
    "gallery.source_run": "{preset} · 运行 {run} · {iterations:,} 次迭代",
    "gallery.load_failed": "无法加载生成器 {name}：{error} 请选择其他生成器。",
    "gallery.model_line": "{kind}生成器 · 隐变量维度 {latent} · 预设 {preset} · {iterations:,} 次迭代",
    "gallery.model_same_as": " · 设置与预设 {preset} 完全相同",
    "gallery.conditional": "条件",
    "gallery.unconditional": "无条件",
    "gallery.quality_line": (
        "由 {judges} 位评审在每个数字 {n:,} 个样本上测得（以较严格者为准）：每个数字被正确识别的比例至少为 "
        "{accuracy:.1%}；类内多样性至少为真实数字的 {diversity:.0%}。"
    ),
    "gallery.seed": "种子",
    "gallery.link_generator": "本服务器上没有生成器 `{value}`；改为显示 {shown}。",
    "gallery.link_view": "视图 `{value}` 需要条件生成器，而 {generator} 不是；改为显示“样本”。",
    "gallery.seed_help": "0 到 {max} 之间的整数。每个种子对应固定的隐向量 z。",
    "gallery.view": "视图",
    "gallery.view.sample": "样本",
    "gallery.view.same_z": "同一 z，每个数字",
    "gallery.view.interpolate": "插值",
    "gallery.view.corners": "四角网格",
    "gallery.view.morph": "标签渐变",
    "gallery.view.diagnostics": "诊断",
    "gallery.digit": "数字",
    "gallery.all_digits": "全部十个",
    "gallery.grid_size": "网格大小",
    "gallery.grid_size_help": "每边的图像数（选择全部十个数字时：每个数字一行的图像数）。",
    "gallery.grid_size_help_unconditional": "正方形网格每边的图像数。",
    "gallery.sample_caption": "种子 {seed} 生成的样本。",
    "gallery.sample_rows": "第 k 行是数字 k。",
    "gallery.download_png": "下载 PNG",
    "gallery.download_gif": "下载 GIF",
    "gallery.rows": "行数（隐向量个数）",
    "gallery.same_z_caption": (
        "每一行固定一个隐向量 z，只把类别输入从 0 换到 9。一行中保持不变的（倾斜、笔画粗细、大小）由 z 编码；"
        "写的是哪个数字则由标签决定。"
    ),
    "gallery.seed_b": "终点种子",
    "gallery.steps": "步数",
    "gallery.lerp_caption": "lerp：从种子 {a} 到种子 {b} 的直线",
    "gallery.slerp_caption": "slerp：从种子 {a} 到种子 {b} 的大圆路径",
    "gallery.norm_title": "沿每条路径 z 的长度",
    "gallery.norm_x": "路径上的位置",
    "gallery.norm_y": "‖z‖",
    "gallery.norm_shell": "√d，高斯壳层",
    "gallery.norm_explain": (
        "在 d = {d} 维中从 N(0, I) 抽取的隐向量，长度几乎总是接近 √d ≈ {shell:.1f}：训练时生成器只见过这层"
        "壳上的点。直线路径会穿进壳内（这里最低到 ‖z‖ = {low:.1f}），那里的图像往往变淡或变模糊；slerp 始终留在壳上。"
    ),
    "gallery.corner_tr": "右上角种子",
    "gallery.corner_bl": "左下角种子",
    "gallery.corner_br": "右下角种子",
    "gallery.method": "路径",
    "gallery.corners_caption": "四个角：种子 {tl}（左上，即主种子）、{tr}、{bl}、{br}。",
    "gallery.morph_from": "起始数字",
    "gallery.morph_to": "目标数字",
    "gallery.morph_caption": "z 由种子 {seed} 固定；类别输入从 {start} 滑向 {end}。",
    "gallery.diag_not_digits": "数字分类器只能评判 28x28 的 MNIST 数字；这个生成器生成的是其他图像。",
    "gallery.scores_recorded": "随生成器记录的评估：每个数字 {n:,} 个样本，由随附的两个分类器评判（在它们从未见过的真实数字上：{judges}）。每个数字都取较严格评审的结果。",
    "gallery.scores_live": "当场计算：每个数字 {n:,} 个样本，由随附的两个分类器评判（在它们从未见过的真实数字上：{judges}）。每个数字都取较严格评审的结果。",
    "gallery.scores_live_unconditional": "当场计算：{n:,} 个样本，每个都由随附的两个分类器认作某个数字（在它们从未见过的真实数字上：{judges}）。每个数字都取较严格评审的结果。",
    "gallery.scores_recorded_unconditional": "随生成器记录的评估：{n:,} 个样本，每个都由随附的两个分类器认作某个数字（在它们从未见过的真实数字上：{judges}）。每个数字都取较严格评审的结果。",
    "gallery.judge_accuracy": "评审 {name} {acc:.2%}",
    "gallery.list_comma": "，",
    "gallery.list_break": "；",
    "gallery.per_judge": "各评审单独的结果：{judges}。",
    "gallery.judge_line_conditional": "评审 {name}：最差数字 {worst:.1%}，最差多样性 {diversity:.0%}",
    "gallery.judge_line_share": "评审 {name}：最少的数字占样本 {worst:.1%}，最差多样性 {diversity:.0%}",
    "gallery.metric_disagreement": "评审之间的分歧",
    "gallery.metric_disagreement_help": "两位评审在任一数字上（准确率或样本占比）的最大差异。评审 A 是用生成器训练所用数字训练的小型 CNN；评审 B 是另一种结构的 CNN，用留出的数字训练。分歧大说明某个分数依赖于某一位评审的偏差。",
    "gallery.metric_accuracy": "最差数字的准确率",
    "gallery.metric_accuracy_help": "要求生成数字 c 的样本中被分类器认作 c 的比例，取表现最差的数字。",
    "gallery.metric_classes": "生成的数字种类",
    "gallery.metric_classes_help": "十个数字中有几个至少占样本的 2%。少于十个就说明出现了模式崩溃。",
    "gallery.metric_diversity": "最差多样性 / 真实",
    "gallery.metric_diversity_help": "样本的类内多样性除以真实数字的类内多样性，取表现最差的数字。",
    "gallery.metric_frechet": "Fréchet 距离",
    "gallery.metric_frechet_help": (
        "评审 A 的特征空间中 {n} 个样本与真实留出数字之间的距离（越低越好）。真实数字的两半之间相距 {floor:.1f}："
        "这是能达到的最好值。两位评审中较严格的一位给出的距离是其下限的 {ratio:.2f} 倍。"
    ),
    "gallery.generated": "生成",
    "gallery.real": "真实数字",
    "gallery.accuracy_title": "被认作所要求的数字",
    "gallery.accuracy_y": "准确率",
    "gallery.histogram_title": "样本分别是哪些数字",
    "gallery.histogram_y": "样本占比",
    "gallery.diversity_title": "类内多样性",
    "gallery.diversity_y": "多样性 / 真实数字",
    "gallery.diversity_explain": (
        "多样性：同一数字的两张图像之间的平均距离，在分类器倒数第二层的 128 维特征中度量。对每个 z 都画出"
        "同一个 7 的崩溃生成器，得分接近零。"
    ),
    "gallery.nearest_title": "它在死记硬背吗？最近的训练图像",
    "gallery.nearest_samples": "样本（种子 {seed}）",
    "gallery.nearest_matches": "训练数据中与上方每个样本最接近的图像",
    "gallery.nearest_explain": (
        "像素均方根距离：{distances}。真实留出数字到最近训练图像的距离中位数为 {real:.3f}；"
        "比这近得多的样本就是照搬。"
    ),
    "gallery.nearest_no_data": "这项比较需要训练图像，但本机上没有。{error}",
}
