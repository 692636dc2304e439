"""The peers of cmd/benchpeers: the lab's network trained with numpy (the
lab's own stack) and with PyTorch (what a user would pick instead), timed per
epoch, so that the Go trainer can be compared with them in one run on one
machine. cmd/benchpeers embeds this file and runs it; by hand:

  python3 peers.py --peer numpy --data DIR --epochs 3
  python3 peers.py --peer torch --data DIR --epochs 3
  python3 peers.py --peer numpy --data DIR --epochs 8 --process

--process does the work of the whole cmd/train process the peer's way, for
benchpeers -process, which times the process from start to exit: the test
accuracy after every epoch, then the training and the test accuracy; the
1000x1000 product is not timed then (its blas record has no dgemm_gflops).

DIR holds the four official MNIST files (gzipped). The network and schedule
are the lab's README run: 784-H-10, ReLU hidden layers, softmax +
cross-entropy (mean over the batch), weights uniform in [-0.2, 0.2), biases
0, plain mini-batch SGD on data shuffled every epoch, float64 throughout.

Output, one JSON object per line (the schema benchpeers reads):
  {"peer": P, "blas": {"libraries": [...], "config": "...", "dgemm_gflops": G}}
                                          (--process: no dgemm_gflops)
  {"peer": P, "epoch": k, "seconds": t, "loss": l}          one per epoch
  {"peer": P, "summary": true, "test_acc": a}
or, when the peer's library cannot be imported,
  {"peer": P, "unavailable": "why"}
"blas" says which BLAS the process really used: the shared libraries with a
BLAS in their name mapped into it (resolved through symbolic links, so
Debian's libblas.so.3 alternative shows whether it is OpenBLAS or the
reference BLAS), the library's own build report, and the speed of one
1000x1000 float64 matrix product through the peer's API.
"""
import argparse
import contextlib
import gzip
import io
import json
import os
import re
import struct
import time

# Names of shared libraries that implement (or forward to) the BLAS.
BLAS_LIB = re.compile(r"blas|mkl|blis|armpl|atlas|accelerate", re.IGNORECASE)


def emit(obj):
    print(json.dumps(obj), flush=True)


def read_idx(path):
    """The array in an IDX file (gzipped): magic, dimensions, uint8 data."""
    import numpy as np

    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(folder, prefix):
    """Images as float64 rows scaled to [0, 1] and labels as int64."""
    import numpy as np

    x = read_idx(os.path.join(folder, f"{prefix}-images-idx3-ubyte.gz"))
    y = read_idx(os.path.join(folder, f"{prefix}-labels-idx1-ubyte.gz"))
    return x.reshape(len(x), -1).astype(np.float64) / 255.0, y.astype(np.int64)


def loaded_blas_libraries():
    """Resolved paths of the BLAS-like shared libraries mapped into this
    process (Linux: /proc/self/maps), in first-mapped order."""
    seen = []
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                parts = line.split(None, 5)
                if len(parts) < 6:
                    continue
                path = parts[5].strip()
                if ".so" not in path or not BLAS_LIB.search(path):
                    continue
                real = os.path.realpath(path)
                if real not in seen:
                    seen.append(real)
    except OSError:
        pass
    return seen


def gflops(product, n=1000, repeats=3):
    """GFLOP/s of the fastest of repeats n x n products (2 n^3 flops)."""
    product()  # warm up: threads started, pages touched
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        product()
        best = min(best, time.perf_counter() - t0)
    return round(2 * n ** 3 / best / 1e9, 1)


def numpy_config(np):
    """The BLAS numpy was built against, in one line."""
    try:  # numpy >= 1.26
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return "numpy %s, built with %s %s" % (np.__version__, blas.get("name"), blas.get("version", ""))
    except TypeError:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            np.show_config()
        m = re.search(r"blas_opt_info:.*?libraries = (\[[^\]]*\])", out.getvalue(), re.S)
        return "numpy %s, blas_opt_info libraries %s" % (np.__version__, m.group(1) if m else "unknown")


def numpy_peer(args, sizes):
    import numpy as np

    blas = {"config": numpy_config(np), "libraries": loaded_blas_libraries()}
    if not args.process:
        a = np.random.default_rng(0).random((1000, 1000))
        blas["dgemm_gflops"] = gflops(lambda: a @ a)
    rng = np.random.RandomState(args.seed)
    ws = [rng.uniform(-0.2, 0.2, (n_in, n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    bs = [np.zeros(n_out) for n_out in sizes[1:]]
    onehot = np.eye(sizes[-1])

    def forward(x):
        acts = [x]
        for s, (w, b) in enumerate(zip(ws, bs)):
            v = acts[-1] @ w + b  # V = A·W + 1bᵀ (W stored n_in × n_out here)
            if s < len(ws) - 1:
                acts.append(np.maximum(v, 0.0))
            else:
                e = np.exp(v - v.max(axis=1, keepdims=True))
                acts.append(e / e.sum(axis=1, keepdims=True))
        return acts

    def epoch(xtr, ytr, perm):
        total = 0.0
        for start in range(0, len(perm), args.batch):
            idx = perm[start:start + args.batch]
            y = onehot[ytr[idx]]
            acts = forward(xtr[idx])
            a = acts[-1]
            total -= np.log(np.maximum((a * y).sum(axis=1), 1e-300)).sum()
            delta = (a - y) / len(idx)  # δ of the output layer, batch mean
            for s in range(len(ws) - 1, -1, -1):
                gw, gb = acts[s].T @ delta, delta.sum(axis=0)
                if s > 0:
                    delta = (delta @ ws[s].T) * (acts[s] > 0)  # φ′(v) ⊙ (Wᵀδ)
                ws[s] -= args.lr * gw
                bs[s] -= args.lr * gb
        return total / len(perm)

    def accuracy(x, y):
        return float((forward(x)[-1].argmax(axis=1) == y).mean())

    return blas, epoch, accuracy, rng


def torch_peer(args, sizes):
    import numpy as np
    import torch

    torch.manual_seed(args.seed)
    blas = {"libraries": loaded_blas_libraries(),
            "config": "torch %s, %s" % (torch.__version__, ", ".join(
                kv for kv in re.split(r"[,\s]+", torch.__config__.show()) if kv.startswith(("BLAS_INFO=", "LAPACK_INFO="))) or "no BLAS_INFO")}
    if not args.process:
        a = torch.rand(1000, 1000, dtype=torch.float64)
        blas["dgemm_gflops"] = gflops(lambda: a @ a)
    layers = []
    for s, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        lin = torch.nn.Linear(n_in, n_out, dtype=torch.float64)
        with torch.no_grad():
            lin.weight.uniform_(-0.2, 0.2)
            lin.bias.zero_()
        layers.append(lin)
        if s < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr)
    loss_fn = torch.nn.CrossEntropyLoss()  # softmax + cross-entropy, batch mean

    def epoch(xtr, ytr, perm):
        x, y, p = torch.from_numpy(xtr), torch.from_numpy(ytr), torch.from_numpy(perm)
        total = 0.0
        for start in range(0, len(perm), args.batch):
            idx = p[start:start + args.batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        return total / len(perm)

    def accuracy(x, y):
        with torch.no_grad():
            return float((model(torch.from_numpy(x)).argmax(dim=1).numpy() == y).mean())

    return blas, epoch, accuracy, np.random.RandomState(args.seed)


PEERS = {"numpy": numpy_peer, "torch": torch_peer}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--peer", choices=sorted(PEERS), required=True)
    ap.add_argument("--data", required=True, help="directory holding the four MNIST files")
    ap.add_argument("--hidden", default="96", help="comma-separated hidden layer sizes")
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--process", action="store_true",
                    help="do the whole cmd/train run's work (per-epoch test accuracy, final accuracies); no DGEMM timing")
    args = ap.parse_args()

    try:
        import numpy  # noqa: F401  (both peers need it)
        if args.peer == "torch":
            import torch  # noqa: F401
    except (ImportError, OSError) as e:  # OSError: a library of the package is missing
        emit({"peer": args.peer, "unavailable": str(e)})
        return

    xtr, ytr = load(args.data, "train")
    xte, yte = load(args.data, "t10k")
    sizes = [xtr.shape[1]] + [int(h) for h in args.hidden.split(",") if h] + [10]
    blas, epoch, accuracy, rng = PEERS[args.peer](args, sizes)
    emit({"peer": args.peer, "blas": blas})
    for k in range(1, args.epochs + 1):
        perm = rng.permutation(len(xtr))
        t0 = time.perf_counter()
        loss = epoch(xtr, ytr, perm)
        record = {"peer": args.peer, "epoch": k, "seconds": time.perf_counter() - t0, "loss": loss}
        if args.process:  # cmd/train prints the test accuracy after every epoch
            record["test_acc"] = accuracy(xte, yte)
        emit(record)
    summary = {"peer": args.peer, "summary": True, "test_acc": accuracy(xte, yte)}
    if args.process:  # and the training accuracy at the end
        summary["train_acc"] = accuracy(xtr, ytr)
    emit(summary)


if __name__ == "__main__":
    main()
