"""Strings shared by every page and the home page."""

from gan_engine.limits import BATCH_TOO_LARGE, RUN_TOO_LARGE

EN = {
    "app.title": "GAN Explorer",
    "app.language": "Language",
    "nav.home": "Home",
    "nav.theory": "Theory",
    "nav.training": "Training",
    "nav.gallery": "Gallery",
    "nav.lab": "Lab",
    "home.title": "GAN Explorer",
    "home.intro": (
        "A generative adversarial network pits two networks against each other: a "
        "generator G turns random noise z into samples, and a discriminator D learns to "
        "tell those samples from real data. G is trained to fool D, D to catch G, and at "
        "the game's equilibrium the generator's distribution p_g equals the data's p_data. "
        "This dashboard lets you see the mathematics behind that game, train GANs "
        "yourself and play with trained generators."
    ),
    "home.pages": "Where to go",
    "home.theory": "Theory: the value function V(D,G), the optimal discriminator D* and the Jensen-Shannon divergence on 1-D toy distributions.",
    "home.training": "Training: choose k, learning rates and losses, launch cached runs and watch the game unfold.",
    "home.gallery": "Gallery: draw digits from trained generators, interpolate between seeds and morph between labels.",
    "home.device": "Compute device for training: {device}.",
    # Engine errors a visitor meets often, by GanExplorerError.message_id (others stay in English).
    "engine.run_too_large": RUN_TOO_LARGE,
    "engine.batch_too_large": BATCH_TOO_LARGE,
}

ZH = {
    "app.title": "GAN 探索器",
    "app.language": "语言",
    "nav.home": "首页",
    "nav.theory": "理论",
    "nav.training": "训练",
    "nav.gallery": "画廊",
    "nav.lab": "实验台",
    "home.title": "GAN 探索器",
    "home.intro": (
        "生成对抗网络让两个网络相互博弈：生成器 G 把随机噪声 z 变成样本，判别器 D 学习把这些样本"
        "与真实数据区分开。G 的目标是骗过 D，D 的目标是识破 G；在博弈的均衡点，生成分布 p_g 等于"
        "数据分布 p_data。在这个仪表盘里，你可以看到这场博弈背后的数学，亲手训练 GAN，并试玩训练好的生成器。"
    ),
    "home.pages": "从这里开始",
    "home.theory": "理论：在一维玩具分布上观察价值函数 V(D,G)、最优判别器 D* 与 Jensen-Shannon 散度。",
    "home.training": "训练：选择 k、学习率和损失函数，启动带缓存的训练，实时观察博弈过程。",
    "home.gallery": "画廊：用训练好的生成器画数字，在种子之间插值，在标签之间渐变。",
    "home.device": "训练使用的计算设备：{device}。",
    "engine.run_too_large": "这次训练对本服务器来说太大：迭代次数 × 批大小 × (k + 1) = {examples} 个样本，超过上限 {limit}。请减少迭代次数、批大小或 k（在自己的电脑上可设置 {env} 或 GAN_EXPLORER_LOCAL=1）。",
    "engine.batch_too_large": "批大小 {batch} 超过本服务器的上限 {limit}；请选更小的批大小（在自己的电脑上可设置 {env} 或 GAN_EXPLORER_LOCAL=1）。",
}
