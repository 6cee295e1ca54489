#!/usr/bin/env python3
"""The PyTorch reference for bench/vectors.sh: the same LP-CLS head (BatchNorm without affine + Linear, LARS as in
the MAE linear probe, batch B, one torch thread) trained for EPOCHS epochs per measurement on in-memory float32 CLS vectors that
VectorEpochBenchmark exported (DIR/train.x.f32, train.y.i32, test.*), then one test pass.
Prints JSON: median CPU and wall seconds of the training epoch (as Glimpse's train_cpu_seconds counts it) and of the
test pass, over REPEATS. Usage: lp_torch.py DIR [BATCH] [REPEATS] [EPOCHS per measurement, default 10]"""
import json, sys, time
import numpy as np
import torch

def load(d, name):
    meta = json.load(open(f"{d}/{name}.json"))
    x = np.fromfile(f"{d}/{name}.x.f32", dtype="<f4").reshape(meta["rows"], meta["dim"])
    y = np.fromfile(f"{d}/{name}.y.i32", dtype="<i4").astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)

class Lars(torch.optim.Optimizer):
    """MAE's LARS: trust ratio per weight tensor, plain momentum for biases (1-D tensors)."""
    def __init__(self, params, lr, momentum=0.9, trust=0.001):
        super().__init__(params, dict(lr=lr, momentum=momentum, trust=trust))

    @torch.no_grad()
    def step(self):
        for g in self.param_groups:
            for p in g["params"]:
                if p.grad is None:
                    continue
                dp = p.grad
                if p.ndim > 1:
                    pn, un = torch.norm(p), torch.norm(dp)
                    q = torch.where(pn > 0., torch.where(un > 0, g["trust"] * pn / un, torch.ones_like(pn)), torch.ones_like(pn))
                    dp = dp.mul(q)
                st = self.state[p]
                if "mu" not in st:
                    st["mu"] = torch.zeros_like(p)
                mu = st["mu"]
                mu.mul_(g["momentum"]).add_(dp)
                p.add_(mu, alpha=-g["lr"])

def main():
    d = sys.argv[1]
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    epochs = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    torch.set_num_threads(1)
    torch.manual_seed(0)
    xtr, ytr = load(d, "train")
    xte, yte = load(d, "test")
    classes = int(max(ytr.max(), yte.max())) + 1
    model = torch.nn.Sequential(torch.nn.BatchNorm1d(xtr.shape[1], affine=False, eps=1e-6), torch.nn.Linear(xtr.shape[1], classes))
    opt = Lars(model.parameters(), lr=0.1 * batch / 256)
    loss_fn = torch.nn.CrossEntropyLoss()
    cpu, wall, eval_cpu, acc = [], [], [], 0.0
    for _ in range(repeats):
        c0, w0 = time.process_time(), time.perf_counter()
        model.train()
        for _ in range(epochs):
            order = torch.randperm(xtr.shape[0])
            for s in range(0, xtr.shape[0], batch):
                idx = order[s:s + batch]
                loss = loss_fn(model(xtr[idx]), ytr[idx])
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
        cpu.append((time.process_time() - c0) / epochs)
        wall.append((time.perf_counter() - w0) / epochs)
        e0 = time.process_time()
        model.eval()
        correct = 0
        with torch.no_grad():
            for s in range(0, xte.shape[0], batch):
                correct += int((model(xte[s:s + batch]).argmax(1) == yte[s:s + batch]).sum())
        eval_cpu.append(time.process_time() - e0)
        acc = correct / xte.shape[0]
    print(json.dumps({"torch_version": torch.__version__, "threads": 1, "batch": batch, "epochs_per_measurement": epochs, "train_rows": int(xtr.shape[0]),
                      "test_rows": int(xte.shape[0]), "dim": int(xtr.shape[1]), "epoch_cpu_seconds": sorted(cpu)[len(cpu) // 2],
                      "epoch_wall_seconds": sorted(wall)[len(wall) // 2],
                      "test_pass_cpu_seconds": sorted(eval_cpu)[len(eval_cpu) // 2], "top1_after_last_epoch": acc}))

if __name__ == "__main__":
    main()
