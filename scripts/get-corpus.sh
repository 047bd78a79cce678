#!/usr/bin/env bash
# Fills the corpus folder with the documents of corpus/manifest.toml and checks their sha256.
#
#   scripts/get-corpus.sh [MIRROR_DIR]
#
# With MIRROR_DIR (CI and the tests use ../shared/corpus), each file is copied from
# MIRROR_DIR/<file> (or from one of its aliases); without it, each is downloaded from its `url`.
# The folder is $MENUTABLE_CORPUS, else corpus/files. A file already there with the right
# sha256 is left alone. A document with no file anywhere is reported as missing (exit 0: the
# manifest lists documents this machine does not have); a sha256 mismatch is an error (exit 2)
# and the bad file is not kept. Without a mirror, an unreachable host is found by one quick
# probe and reported in one line (exit 2); obtaining nothing at all is exit 2 too.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
manifest="${MENUTABLE_MANIFEST:-$here/corpus/manifest.toml}"
dest="${MENUTABLE_CORPUS:-$here/corpus/files}"
mirror="${1:-}"
[ -z "$mirror" ] || [ -d "$mirror" ] || { echo "get-corpus: mirror $mirror is not a folder" >&2; exit 2; }
mkdir -p "$dest"

# One line per document: id, file, url, sha256, aliases (space-separated), tab-separated.
entries=$(awk '
  function flush() { if (id != "") print id "\t" file "\t" url "\t" sha "\t" aliases; id=file=url=sha=aliases="" }
  /^\[\[document\]\]/ { flush(); next }
  /^(id|file|url|sha256) *=/ {
    key=$1; val=$0; sub(/^[^=]*= *"/, "", val); sub(/" *$/, "", val)
    if (key=="id") id=val; else if (key=="file") file=val; else if (key=="url") url=val; else sha=val
  }
  /^aliases *=/ { val=$0; sub(/^[^[]*\[/, "", val); sub(/\].*$/, "", val); gsub(/[",]/, " ", val); aliases=val }
  END { flush() }' "$manifest")

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

# Without a mirror, one quick probe first: with no network, say so once and stop, instead of
# minutes of retries per document. Any HTTP answer (even 404) means the host is reachable.
if [ -z "$mirror" ]; then
  first=$(printf '%s\n' "$entries" | awk -F'\t' '$3 ~ /^https?:\/\// { print $3; exit }')
  if [ -n "$first" ] && ! curl -sS -o /dev/null --max-time 15 "$first" 2>/dev/null; then
    host=$(printf '%s' "$first" | awk -F/ '{ print $3 }')
    echo "get-corpus: no network: $host cannot be reached; point it at a mirror instead: scripts/get-corpus.sh ../shared/corpus" >&2
    exit 2
  fi
fi
copied=0; present=0; missing=0; failed=0
while IFS=$'\t' read -r id file url sha aliases; do
  target="$dest/$file"
  if [ -f "$target" ] && { [ -z "$sha" ] || [ "$(sha_of "$target")" = "$sha" ]; }; then
    present=$((present + 1)); continue
  fi
  mkdir -p "$(dirname "$target")"
  tmp="$target.part"
  got=""
  if [ -n "$mirror" ]; then
    for cand in "$file" $aliases; do
      if [ -f "$mirror/$cand" ]; then cp "$mirror/$cand" "$tmp"; got="$mirror/$cand"; break; fi
    done
  else
    if curl -fsSL --retry 2 --connect-timeout 15 --max-time 300 -o "$tmp" "$url"; then got="$url"; else rm -f "$tmp"; fi
  fi
  if [ -z "$got" ]; then
    echo "missing  $id ($file): not in ${mirror:-the download from $url}"
    missing=$((missing + 1)); continue
  fi
  actual=$(sha_of "$tmp")
  if [ -n "$sha" ] && [ "$actual" != "$sha" ]; then
    echo "get-corpus: $id ($file from $got): sha256 $actual, manifest says $sha; not kept" >&2
    rm -f "$tmp"; failed=$((failed + 1)); continue
  fi
  mv "$tmp" "$target"
  copied=$((copied + 1))
done <<< "$entries"
echo "get-corpus: $copied copied, $present already present, $missing missing, $failed failed, in $dest"
[ "$failed" -eq 0 ] || exit 2
if [ $((copied + present)) -eq 0 ]; then
  echo "get-corpus: obtained nothing: every document is missing (give a mirror folder, or check the manifest's urls)" >&2
  exit 2
fi
