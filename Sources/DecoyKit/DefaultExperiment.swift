/// The experiment `decoy quickstart` runs when no config is given: the text of
/// `experiments/quickstart.yaml`, embedded so the binary needs no files (a test keeps the two equal).
public enum DefaultExperiment {
    public static let fileName = "experiments/quickstart.yaml"

    public static let text = #"""
version: 1
name: quickstart
description: >
  Adult-section decoy ads against a control ad in an ordinary section, as journalists and
  prosecutors have tested classified-ad sites. Reproduces two published per-ad figures:
  "250 responses in the first two hours" (King County prosecutor, Seattle, 2017) and
  "806 calls and texts within its first two days", while a couch ad posted at the same time
  on the same site got none (California prosecutors with Thorn, Backpage, 2022 account).
  The decay shape is an assumption: one exponential through both figures, 150 contacts an
  hour at posting halving every 3.6 hours over 0.5 an hour of background, gives about 250
  in 2 h and about 800 in 48 h. The two figures come from different cities and years, so
  the curve is illustrative, not a measurement. The control arm's rate (0.005 an hour,
  about a quarter of a contact in 48 h) stands for "got none".
seed: 20161104
replicates: 1
start: 2016-11-04T09:00:00-08:00
horizon: 48h
grid: 1h
arms:
  - name: adult
    postings: 10
    schedule: { offset: 0h, every: 2h }
    attributes: { platform: backpage, section: escorts }
    response:
      model: exponential-decay
      initial: 150/h
      half_life: 3.6h
      baseline: 0.5/h
    channels: { call: 0.5, sms: 0.5 }
  - name: control
    postings: 10
    schedule: { offset: 0h, every: 2h }
    attributes: { platform: backpage, section: furniture }
    response:
      model: poisson
      rate: 0.005/h
    channels: { call: 0.5, sms: 0.5 }
"""#
}
