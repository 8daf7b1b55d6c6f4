#!/bin/sh
# Installs the Debian 12 packages AlignScope needs to build, run and test, skipping those already present.
set -eu
PACKAGES="build-essential cmake ninja-build ccache pkg-config git
 qt6-base-dev qt6-svg-dev libqt6opengl6-dev libgl-dev
 libtorch-dev libeigen3-dev libopencv-dev libmatio-dev libzip-dev libhdf5-dev
 libcli11-dev nlohmann-json3-dev pybind11-dev python3-dev
 libopenblas0-pthread libopenblas-pthread-dev
 clang clang-format libclang-rt-14-dev
 python3-numpy python3-scipy python3-torch python3-torchvision python3-pil
 xvfb xauth poppler-utils fonts-dejavu-core
 slurmd slurmctld slurm-client munge
 desktop-file-utils appstream man-db locales"
missing=""
for package in $PACKAGES; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  case "$status" in *"install ok installed"*) ;; *) missing="$missing $package" ;; esac
done
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
if [ -n "$missing" ]; then
  echo "Installing:$missing"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
fi
# Tests read tables under a comma-decimal locale (numbers are parsed the same in every locale): de_DE.UTF-8.
if ! locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
  echo "Generating the de_DE.UTF-8 locale"
  $SUDO localedef -i de_DE -f UTF-8 de_DE.UTF-8
fi
