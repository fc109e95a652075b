# Each second: the collector's nvidia-smi query run once, then NVML read directly, back to back
# (one JSON line per second: the CSV lines and the NVML readings of every GPU).
import json, subprocess, sys, time
import pynvml as n

Q = "index,uuid,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw,power.limit,fan.speed,clocks.sm,clocks.mem,name"
n.nvmlInit()
handles = [n.nvmlDeviceGetHandleByIndex(i) for i in range(n.nvmlDeviceGetCount())]

def safe(f, *a):
    try:
        return f(*a)
    except Exception as e:  # NotSupported and the like
        return "err:" + type(e).__name__

def nvml(h):
    mem = n.nvmlDeviceGetMemoryInfo(h)
    return {
        "name": safe(n.nvmlDeviceGetName, h), "uuid": safe(n.nvmlDeviceGetUUID, h),
        "util": safe(lambda: n.nvmlDeviceGetUtilizationRates(h).gpu),
        "mem_used_mib": mem.used / 1048576, "mem_total_mib": mem.total / 1048576,
        "temp": safe(n.nvmlDeviceGetTemperature, h, n.NVML_TEMPERATURE_GPU),
        "power_w": safe(lambda: n.nvmlDeviceGetPowerUsage(h) / 1000),
        "power_limit_w": safe(lambda: n.nvmlDeviceGetPowerManagementLimit(h) / 1000),
        "enforced_limit_w": safe(lambda: n.nvmlDeviceGetEnforcedPowerLimit(h) / 1000),
        "fan": safe(n.nvmlDeviceGetFanSpeed, h),
        "clock_sm": safe(n.nvmlDeviceGetClockInfo, h, n.NVML_CLOCK_SM),
        "clock_mem": safe(n.nvmlDeviceGetClockInfo, h, n.NVML_CLOCK_MEM),
    }

for _ in range(int(sys.argv[1])):
    t0 = time.time()
    csv = subprocess.run(["nvidia-smi", "--query-gpu=" + Q, "--format=csv,noheader,nounits"], capture_output=True, text=True).stdout
    t1 = time.time()
    print(json.dumps({"t0": t0, "t1": t1, "csv": csv.splitlines(), "nvml": [nvml(h) for h in handles], "t2": time.time()}), flush=True)
    time.sleep(max(0, 1 - (time.time() - t0)))
