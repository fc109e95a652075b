"""Plain PyTorch reporting to CV Studio Monitor: a small classifier on generated data, on CPU.

    pip install ./clients/python            # once; torch from your usual source
    CVSM_SERVER=http://127.0.0.1:8000 python examples/pytorch_train.py --run mlp-demo --epochs 5

Open the run in the web app: loss and accuracy arrive while it trains; pause, resume and stop
there reach this loop.
"""

import argparse

import torch
from torch import nn

import cvsm


def data(n: int, generator: torch.Generator):
    x = torch.randn(n, 16, generator=generator)
    y = (x[:, :4].sum(dim=1) > 0).long()  # a rule the model can learn
    return x, y


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--run", default="pytorch-mlp")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--lr", type=float, default=0.05)
    args = parser.parse_args()

    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    x_train, y_train = data(2048, g)
    x_val, y_val = data(512, g)
    model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 2))
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss()
    batch = len(x_train) // args.steps

    config = {"model": "mlp-16-32-2", "lr": args.lr, "batch": batch, "optimizer": "SGD"}
    with cvsm.init(args.run, config=config, total_epochs=args.epochs) as run:
        run.log(f"training on {len(x_train)} samples, validating on {len(x_val)}")
        step = 0
        for epoch in range(1, args.epochs + 1):
            model.train()
            for i in range(args.steps):
                run.wait_if_paused()  # pause from the web app holds the loop here
                if run.should_stop:
                    break
                xb, yb = x_train[i * batch:(i + 1) * batch], y_train[i * batch:(i + 1) * batch]
                optimizer.zero_grad()
                loss = loss_fn(model(xb), yb)
                loss.backward()
                optimizer.step()
                step += 1
                run.metrics({"train/loss": loss.item(), "lr": optimizer.param_groups[0]["lr"]}, epoch=epoch, step=step)
            model.eval()
            with torch.no_grad():
                logits = model(x_val)
                val_loss = loss_fn(logits, y_val).item()
                accuracy = (logits.argmax(dim=1) == y_val).float().mean().item()
            run.metrics({"val/loss": val_loss, "val/accuracy": accuracy}, epoch=epoch, step=step)
            run.log(f"epoch {epoch}: val loss {val_loss:.4f}, accuracy {accuracy:.3f}")
            if run.should_stop:
                run.warning("stopped from the web app")
                break
        # Leaving the block records "completed" ("stopped" if asked, "failed" on an exception).


if __name__ == "__main__":
    main()
