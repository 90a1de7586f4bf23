#!/usr/bin/env bash
# Fills data/NAME/ with the four original .gz files of a dataset, each verified by MD5.
# Sources, in order: $MNIST_MIRROR (for mnist) or $FASHION_MNIST_MIRROR (for fashion-mnist),
# ../shared/data/NAME beside the clone, then the public mirrors with curl.
# Usage: scripts/fetch-data.sh [mnist|fashion-mnist]
set -euo pipefail

name=${1:-mnist}
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/data/$name"

case "$name" in
  mnist)
    local_mirror=${MNIST_MIRROR:-}
    urls=("https://ossci-datasets.s3.amazonaws.com/mnist"
          "https://storage.googleapis.com/cvdf-datasets/mnist"
          "http://yann.lecun.com/exdb/mnist")
    sums="f68b3c2dcbeaaa9fbdd348bbdeb94873  train-images-idx3-ubyte.gz
d53e105ee54ea40749a09fcbcd1e9432  train-labels-idx1-ubyte.gz
9fb629c4189551a2d022fa330f9573f3  t10k-images-idx3-ubyte.gz
ec29112dd5afa0611ce80d1b7f02629c  t10k-labels-idx1-ubyte.gz" ;;
  fashion-mnist)
    local_mirror=${FASHION_MNIST_MIRROR:-}
    urls=("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com")
    sums="8d4fb7e6c68d591d4c3dfef9ec88bf0d  train-images-idx3-ubyte.gz
25c81989df183df01b3e8a0aad5dffbe  train-labels-idx1-ubyte.gz
bef4ecab320f06d8554ea6380940ec79  t10k-images-idx3-ubyte.gz
bb300cfdad3c16e7a12a480ee83cd310  t10k-labels-idx1-ubyte.gz" ;;
  *) echo "error: unknown dataset '$name' (known: mnist, fashion-mnist)" >&2; exit 64 ;;
esac

mkdir -p "$dest"
verified() { [ -f "$dest/$1" ] && [ "$(md5sum < "$dest/$1" | cut -d' ' -f1)" = "$2" ]; }

present=0
while read -r sum file; do
  if verified "$file" "$sum"; then present=$((present + 1)); continue; fi
  got=""
  for dir in "$local_mirror" "$root/../shared/data/$name"; do
    if [ -n "$dir" ] && [ -f "$dir/$file" ]; then
      cp "$dir/$file" "$dest/$file.part" && chmod 644 "$dest/$file.part" && mv "$dest/$file.part" "$dest/$file"
      if verified "$file" "$sum"; then got="$dir"; break; fi
      echo "warning: $dir/$file fails its MD5 check; trying elsewhere" >&2
    fi
  done
  if [ -z "$got" ]; then
    for url in "${urls[@]}"; do
      if curl -fsSL --retry 2 --connect-timeout 10 -o "$dest/$file.part" "$url/$file" 2>/dev/null; then
        mv "$dest/$file.part" "$dest/$file"
        if verified "$file" "$sum"; then got="$url"; break; fi
        echo "warning: $url/$file fails its MD5 check; trying elsewhere" >&2
      fi
    done
  fi
  rm -f "$dest/$file.part"
  if [ -z "$got" ]; then
    rm -f "$dest/$file"
    mirror_var=$(echo "${name}_MIRROR" | tr 'a-z-' 'A-Z_')
    echo "error: $name/$file: no verified copy found (set $mirror_var to a folder holding it, or check the network)" >&2
    exit 1
  fi
  echo "$name/$file: verified (md5 $sum) from $got"
done <<< "$sums"
# A dataset that is not digits ships its class names (data/NAME.classes.txt, kept in the
# repository) as classes.txt beside the files, where train reads them.
names="$root/data/$name.classes.txt"
if [ -f "$names" ] && ! cmp -s "$names" "$dest/classes.txt"; then
  cp "$names" "$dest/classes.txt.part" && mv "$dest/classes.txt.part" "$dest/classes.txt"
  echo "$name/classes.txt: class names from data/$name.classes.txt"
fi
[ "$present" -eq 4 ] && echo "data/$name: all four files present, MD5s verified"
exit 0
