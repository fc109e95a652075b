# A short training-like load: 16 GiB held, bf16 matrix products for the given seconds.
import sys, time, torch
secs = float(sys.argv[1])
hold = torch.empty(16 * 1024**3, dtype=torch.uint8, device="cuda")
a = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
b = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
end, n = time.time() + secs, 0
while time.time() < end:
    for _ in range(20):
        c = a @ b
    torch.cuda.synchronize()
    n += 20
print(f"{n} products in {secs}s, {n * 2 * 8192**3 / secs / 1e12:.0f} TFLOP/s", flush=True)
