"""One training run inside one process (torch): Algorithm 1's loop (loop), the networks
(models), the losses on logits (losses), the real data as tensors (real_data), what a run
records at each snapshot (snapshots), the toy-target metrics (metrics), and the published
toy results the Training page compares against (anchors).

Nothing here knows about the run cache or the pages: the loop reports through callbacks."""
