#!/usr/bin/env bash
# The ceiling of any ASP.NET Core server on this machine: a bare Kestrel app (CreateSlimBuilder, no logging, one
# minimal-API route answering a byte array from memory) against nginx serving the same bytes
# (../shared/bench/http-vs-nginx.sh). Whatever the CMS's request path does, it cannot beat this ratio; bench/images.sh
# and bench/api.sh are read against it (docs/adr/0008-images.md).
# usage: bench/kestrel-ceiling.sh [DURATION=10s] [FILE=a 9 KB JPEG made here]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
dur=${1:-10s}
work=$(mktemp -d /tmp/embassy-bench-ceiling.XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
file=${2:-$work/body.jpg}
[ -s "$file" ] || ffmpeg -hide_banner -loglevel error -y -f lavfi -i "mandelbrot=s=240x180" -frames:v 1 -q:v 4 "$file"
# Outside the repository, so that its build settings (Directory.Build.props) and solution do not apply.
cat > "$work/bare.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <ServerGarbageCollection>true</ServerGarbageCollection>
  </PropertyGroup>
</Project>
XML
cat > "$work/Program.cs" <<'CS'
var bytes = File.ReadAllBytes(args[0]);
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapGet("/bytes", () => Results.Bytes(bytes, "image/jpeg"));
app.Run(args[1]);
CS
echo "== build (Release) a bare Kestrel app"
dotnet publish "$work/bare.csproj" -c Release -o "$work/out" --nologo -v quiet
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$work/out/bare" "$file" "http://127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/bytes" && break; sleep 0.1; done
echo "== bare Kestrel, $(stat -c %s "$file") bytes from memory, against nginx"
bash "$root/../shared/bench/http-vs-nginx.sh" "http://127.0.0.1:$port/bytes" --dur "$dur"
