"""Strings shared by every page and the home page."""

from gan_engine.data.uploads import UPLOAD_MESSAGES
from gan_engine.judge.verdict import MESSAGES as VERDICT_MESSAGES
from gan_engine.limits import BATCH_TOO_LARGE, RUN_TOO_LARGE
from gan_engine.runs.imports import IMPORT_MESSAGES

EN = {
    "app.title": "GAN Explorer",
    "app.language": "Language",
    "teacher.title": "Teacher",
    "teacher.passphrase": "Teacher's passphrase",
    "teacher.unlock": "Unlock",
    "teacher.lock": "Lock again",
    "teacher.unlocked": "Unlocked: you can cancel any run, delete runs and clear the cache in this browser session.",
    "teacher.wrong": "That passphrase is not right. Try again in {seconds} s.",
    "teacher.wait": "Too many wrong passphrases: try again in {seconds} s.",
    "teacher.visitor_rights": "Visitors can launch, watch, compare, sweep and download runs. Deleting runs and stopping runs others rely on need the teacher.",
    "teacher.not_configured": "This shared demo has no teacher's passphrase set, so runs can be deleted only from the command line on the server.",
    "teacher.login": "Log in as teacher",
    "teacher.logout": "Log out",
    "teacher.not_a_teacher": "This account is not on the list of teachers.",
    "teacher.queue": "Runs waiting for a worker: {count}",
    "teacher.older_than": "Clear runs older than (days)",
    "teacher.clear": "Clear old runs",
    "teacher.clear_none": "No finished run is older than {days} days.",
    "teacher.clear_confirm": "Delete {count} runs older than {days} days ({size} MB) for everyone? Queued and training runs stay.",
    "teacher.clear_yes": "Yes, clear them",
    "teacher.clear_no": "Keep them",
    "teacher.cleared": "Deleted {count} runs.",
    "nav.home": "Home",
    "nav.theory": "Theory",
    "nav.training": "Training",
    "nav.gallery": "Gallery",
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
    **{f"engine.{message_id}": text for message_id, text in UPLOAD_MESSAGES.items()},
    **{f"engine.{message_id}": text for message_id, text in IMPORT_MESSAGES.items()},
    **{f"engine.{message_id}": text for message_id, text in VERDICT_MESSAGES.items()},
}

ZH = {
    "app.title": "GAN 探索器",
    "app.language": "语言",
    "teacher.title": "老师",
    "teacher.passphrase": "老师口令",
    "teacher.unlock": "解锁",
    "teacher.lock": "重新锁定",
    "teacher.unlocked": "已解锁：在这个浏览器会话中，你可以取消任何训练、删除训练记录并清理缓存。",
    "teacher.wrong": "口令不正确。请在 {seconds} 秒后再试。",
    "teacher.wait": "错误口令次数过多：请在 {seconds} 秒后再试。",
    "teacher.visitor_rights": "访客可以启动、观看、比较、扫描和下载训练。删除训练记录、停止别人依赖的训练需要老师权限。",
    "teacher.not_configured": "这个共享演示没有设置老师口令，因此只能在服务器的命令行上删除训练记录。",
    "teacher.login": "以老师身份登录",
    "teacher.logout": "退出登录",
    "teacher.not_a_teacher": "这个账号不在老师名单中。",
    "teacher.queue": "等待训练的任务：{count}",
    "teacher.older_than": "清理早于多少天的训练（天）",
    "teacher.clear": "清理旧训练",
    "teacher.clear_none": "没有早于 {days} 天的已结束训练。",
    "teacher.clear_confirm": "要为所有人删除 {count} 个早于 {days} 天的训练（{size} MB）吗？排队中和训练中的任务会保留。",
    "teacher.clear_yes": "确认清理",
    "teacher.clear_no": "保留",
    "teacher.cleared": "已删除 {count} 个训练。",
    "nav.home": "首页",
    "nav.theory": "理论",
    "nav.training": "训练",
    "nav.gallery": "画廊",
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
    "engine.upload_unknown_kind": "未知的数据类型 {kind!r}：请选择 {kinds} 之一。",
    "engine.upload_none": "没有上传任何文件。",
    "engine.upload_too_large": "{name} 有 {size_mb:.1f} MB；上传文件最多 {limit_mb} MB（可以用 gzip 压缩 IDX 文件）。",
    "engine.upload_total_too_large": "这些文件合计超过 {limit_mb} MB 的上传上限。",
    "engine.upload_duplicate_role": "{first} 和 {second} 都是 MNIST 的 {role} 文件；请上传一个 CSV 文件，或一个图像文件加它的标签文件。",
    "engine.upload_csv_and_idx": "请上传一个 CSV 文件或一对 IDX 文件（图像和标签），不要同时上传两种。",
    "engine.upload_idx_alone": "{name} 是 MNIST IDX 的 {role} 文件，还需要对应的 {wanted} 文件：请把图像文件和标签文件一起上传。",
    "engine.upload_not_mnist": "{name} 既不是 MNIST IDX 文件（图像或标签），也不是数字的 CSV 文件；请上传其中一种。",
    "engine.upload_faces_count": "人脸数据只接受一个 notebook 格式的 HDF5 文件；收到了 {count} 个文件（{names}）。可用 `gan-explorer convert-faces` 转换一个图像文件夹。",
    "engine.upload_faces_not_hdf5": "人脸数据只接受一个 notebook 格式的 HDF5 文件；{name} 不是。可用 `gan-explorer convert-faces` 转换一个图像文件夹。",
    "engine.upload_too_many_items": "{name} 声明了 {count:,} 个样本；一次上传最多 {limit:,} 个（MNIST 共有 70,000 个）。",
    "engine.upload_not_stored": "服务器暂时无法保存这次上传（{reason}）；请稍后再试。",
    "engine.upload_invalid": "文件无法使用：{detail}",
    "engine.import_too_large": "{name} 太大：运行文件最多 {limit} MB。",
    "engine.import_pickle": "{name} 是 Python pickle（PyTorch 检查点之类），不是 GAN Explorer 的运行文件；pickle 在加载时可以执行代码，因此不会被打开。",
    "engine.import_not_run": "{name} 不是 GAN Explorer 的运行文件（不是 HDF5）：请从运行库下载。",
    "engine.import_busy": "这个配置正在本服务器上训练；{name} 没有导入。",
    "engine.import_refused": "{name} 无法导入：{problem}。",
    "engine.verdict_collapse_digits": "模式坍塌：10 个数字中只生成了 {produced} 个，多样性是真实数字的 {diversity:.0%}。",
    "engine.verdict_partial_recognised": "尚未学好：10 个数字中生成了 {produced} 个，最差的（{weakest}）识别率 {weakest_value:.0%}（标准 {bar:.0%}），多样性是真实数字的 {diversity:.0%}（标准 {diversity_bar:.0%}）。",
    "engine.verdict_partial_share": "尚未学好：10 个数字中生成了 {produced} 个，最少的（{weakest}）占样本的 {weakest_value:.1%}（标准 {bar:.0%}），多样性是真实数字的 {diversity:.0%}（标准 {diversity_bar:.0%}）。",
    "engine.verdict_ok_recognised": "每个数字都生成了：最差的（{weakest}）识别率 {weakest_value:.0%}，多样性是真实数字的 {diversity:.0%}。",
    "engine.verdict_ok_share": "每个数字都生成了：最少的（{weakest}）占样本的 {weakest_value:.1%}，多样性是真实数字的 {diversity:.0%}。",
    "engine.verdict_collapse_modes": "模式坍塌：{modes} 个模式中只捕获了 {captured} 个。",
    "engine.verdict_partial_modes": "丢失或错过了模式：{modes} 个模式中捕获了 {captured} 个，{hq:.0%} 的样本落在模式附近。",
    "engine.verdict_ok_modes": "每个模式都捕获了：{captured} / {modes}，{hq:.0%} 的样本落在模式附近。",
}
