#!/usr/bin/env bash
# Starts the backend locally: the local Cosmos DB server and Azurite, then the whole HTTP API with the demo shop
# seeded, on http://localhost:7071/api. Ctrl-C stops everything it started.
#
# Where Azure Functions Core Tools are installed, USE_FUNC=1 ./run.sh runs the function app with `func start`
# instead of the project's in-process host (same functions, same settings).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
root="$(pwd)"

for tool in dotnet node npm; do
  command -v "$tool" >/dev/null || { echo "run.sh: '$tool' is required but not installed." >&2; exit 1; }
done

random_key() { head -c 32 /dev/urandom | base64 | tr -d '\n'; }

# local.settings.json is git-ignored: made once per machine from the example, with keys generated here.
mkdir -p .local
if [[ ! -f local.settings.json ]]; then
  password="demo-$(head -c 9 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 12)"
  JWT="$(random_key)" DATA="$(random_key)" PW="$password" node -e '
    const fs = require("fs");
    const s = JSON.parse(fs.readFileSync("local.settings.example.json", "utf8"));
    Object.assign(s.Values, {
      Auth__JwtSigningKey: process.env.JWT, Security__DataKey: process.env.DATA, Auth__DevLoginEnabled: "true",
      WeChat__AppId: "wx-local-dev", WeChat__AppSecret: "", Demo__OperatorPassword: process.env.PW,
      // ERP/WMS: no partner until you point Erp__BaseUrl / Wms__BaseUrl at one and set the secrets.
      Erp__HmacSecret: "", Wms__HmacSecret: "", Partners__erp__Secret: "",
    });
    fs.writeFileSync("local.settings.json", JSON.stringify(s, null, 2) + "\n");'
  echo "run.sh: wrote local.settings.json (dev login on, generated keys and demo password)"
fi
password="$(node -p 'JSON.parse(require("fs").readFileSync("local.settings.json","utf8")).Values.Demo__OperatorPassword')"

bash tools/local-services/start.sh
host_pid=""
cleanup() {
  trap - EXIT INT TERM
  if [[ -n "$host_pid" ]]; then kill "$host_pid" 2>/dev/null || true; wait "$host_pid" 2>/dev/null || true; fi
  bash tools/local-services/stop.sh
}
trap cleanup EXIT INT TERM

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export Logging__LogLevel__Default="${Logging__LogLevel__Default:-Warning}"
# Local runs pay through the WeChat Pay sandbox (keys generated at start-up) unless told otherwise.
export WeChatPay__Sandbox__Enabled="${WeChatPay__Sandbox__Enabled:-true}"

cat <<EOT

  MiniShop backend
  API          http://localhost:7071/api
  OpenAPI      http://localhost:7071/api/openapi.json
  Operators    admin / $password      (platform admin)
               merchant / $password   (merchant admin of shop-demo)
               POST /api/admin/auth/login {"userName":"admin","password":"..."}
  Shoppers     POST /api/auth/wechat-login {"code":"dev-alice"}   (dev login: any dev-<name>)
  Paying       POST /api/checkout, POST /api/payments/{id}/prepay, then
               POST /api/sandbox/wechatpay/payments/{id}/pay   (the sandbox notifies the webhook)
  Try          curl http://localhost:7071/api/catalog/products

EOT

if [[ "${USE_FUNC:-0}" == "1" ]] && command -v func >/dev/null; then
  dotnet build Functions.sln --nologo -clp:ErrorsOnly
  # func reads local.settings.json from the app folder; the in-process host seeds the demo shop first.
  cp local.settings.json functions/MiniShop.Functions/local.settings.json
  dotnet tools/MiniShop.LocalHost/bin/Debug/net10.0/MiniShop.LocalHost.dll --seed-only --urls http://127.0.0.1:0
  (cd functions/MiniShop.Functions && func start --port 7071) &
  host_pid=$!
else
  dotnet build tools/MiniShop.LocalHost --nologo -clp:ErrorsOnly
  dotnet tools/MiniShop.LocalHost/bin/Debug/net10.0/MiniShop.LocalHost.dll --seed-demo --urls http://localhost:7071 &
  host_pid=$!
fi
wait "$host_pid"
