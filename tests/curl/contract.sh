#!/usr/bin/env bash
# The README's curl examples for the REST API, run against a server as a user would paste
# them, each answer checked with jq. BASE names the server (default http://localhost:8000).
#   BASE=http://127.0.0.1:8000 bash tests/curl/contract.sh
set -euo pipefail
BASE=${BASE:-http://localhost:8000}
EXP=${EXP:-yolov8n-coco-42}

fail() {
  echo "FAIL: $1" >&2
  echo "  answer: $out" >&2
  exit 1
}
# check "what" 'jq filter that must hold on the last answer'
check() { jq -e "$2" <<<"$out" >/dev/null || fail "$1"; }
# A JSON body sent to a training-logs route, as the README's examples send it; prints the answer.
send_json() { curl -s -X "$1" "$BASE/api/v1/training/logs$2" -H 'Content-Type: application/json' -d "$3"; }
# The status code of a request, its body in $out.
status() {
  local file
  file=$(mktemp)
  code=$(curl -s -o "$file" -w '%{http_code}' "$@")
  out=$(cat "$file")
  rm -f "$file"
}

# Create a session (an existing one is returned as it is).
out=$(send_json POST "/session" '{"experiment_id": "'"$EXP"'", "config": {"lr": 0.01, "batch": 16}, "total_epochs": 100}')
check 'create session' '.success and .data.experiment_id == "'"$EXP"'" and .data.status == "queued" and .data.total_epochs == 100 and .data.created'
check 'created_at is ISO-8601 with Z' '.data.created_at | test("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$")'

# Mark it running.
out=$(send_json PUT "/$EXP/status" '{"status": "running", "message": "epoch 1 started"}')
check 'status running' '.success and .data.status == "running" and (.data.started_at | type) == "string"'

# Post log lines.
out=$(send_json POST "/$EXP/log" '{"level": "INFO", "message": "loading COCO", "source": "trainer"}')
check 'log' '.success and .data == (.data | {level, message, source, timestamp, seq}) and .data.level == "INFO" and .data.message == "loading COCO"'
out=$(send_json POST "/$EXP/log" '{"level": "warn", "message": "lr warmup not finished"}')
check 'WARN is WARNING' '.data.level == "WARNING" and .data.source == "trainer"'

# Post metrics (Python writes a diverging loss as NaN; it is kept).
out=$(send_json POST "/$EXP/metrics" '{"epoch": 1, "step": 1200, "metrics": {"train_loss": 0.41, "mAP50": 0.32}}')
check 'metrics' '.success and .data.epoch == 1 and .data.train_loss == 0.41 and .data.mAP50 == 0.32'
out=$(send_json POST "/$EXP/metrics" '{"epoch": 2, "metrics": {"train_loss": NaN, "grad_norm": Infinity}}')
grep -q '"train_loss":NaN' <<<"$out" || fail 'NaN written back as NaN'
grep -q '"grad_norm":Infinity' <<<"$out" || fail 'Infinity written back as Infinity'

# Read back: the last 100 log lines, warnings and up, metrics, the session, all sessions.
out=$(curl -s "$BASE/api/v1/training/logs/$EXP?limit=100")
check 'logs' '.success and .count == 2 and ([.data[].message] == ["loading COCO", "lr warmup not finished"])'
out=$(curl -s "$BASE/api/v1/training/logs/$EXP?min_level=WARNING")
check 'logs min_level' '.count == 1 and .data[0].level == "WARNING"'
out=$(curl -s "$BASE/api/v1/training/logs/$EXP/metrics?limit=100")
check 'metrics list' '.success and .count == 2 and ([.data[].epoch] == [1, 2])'
out=$(curl -s "$BASE/api/v1/training/logs/$EXP/info")
check 'info' '.data | .experiment_id == "'"$EXP"'" and .current_epoch == 2 and .log_count == 2 and .metrics_count == 2 and .config.lr == 0.01'
out=$(curl -s "$BASE/api/v1/training/logs/sessions")
check 'sessions' '.success and .count >= 1 and ([.data[].experiment_id] | index("'"$EXP"'")) != null'
out=$(curl -s "$BASE/api/v1/ws/stats")
check 'ws stats' '(.active_connections | type) == "number" and (.subscribers | keys) == ["system", "training", "training_tasks"]'
out=$(curl -s "$BASE/health")
check 'health' '.status == "ok"'

# Errors: unknown session 404, bad level 422 naming the field, malformed JSON 400, unknown path 404.
status -X POST "$BASE/api/v1/training/logs/no-such-run/log" -H 'Content-Type: application/json' -d '{"message": "x"}'
[ "$code" = 404 ] || fail "unknown session: $code"
check '404 shape' '.error == true and .status_code == 404 and .path == "/api/v1/training/logs/no-such-run/log"'
status -X POST "$BASE/api/v1/training/logs/$EXP/log" -H 'Content-Type: application/json' -d '{"level": "LOUD"}'
[ "$code" = 422 ] || fail "bad level: $code"
check '422 details' '[.details[].loc] == [["body", "level"], ["body", "message"]]'
status -X POST "$BASE/api/v1/training/logs/session" -H 'Content-Type: application/json' -d '{"experiment_id": '
[ "$code" = 400 ] || fail "malformed JSON: $code"
status "$BASE/api/v1/nothing"
[ "$code" = 404 ] || fail "unknown path: $code"
check 'unknown path shape' '.error == true and .status_code == 404'

# Finish, then delete the session with everything it stored.
out=$(send_json PUT "/$EXP/status" '{"status": "completed"}')
check 'completed' '.data.status == "completed" and (.data.ended_at | type) == "string"'
out=$(curl -s -X DELETE "$BASE/api/v1/training/logs/$EXP")
check 'delete' '.success and (.message | type) == "string"'
status "$BASE/api/v1/training/logs/$EXP/info"
[ "$code" = 404 ] || fail "deleted session still answers: $code"

echo "contract ok"
