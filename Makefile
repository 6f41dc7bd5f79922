# metroprobe: the two entry points of the README.
#   sudo make demo   install what is missing, build, and probe a lab Metro for 20 s
#   sudo make test   install what is missing, build, and run the whole test suite
# Everything else is meson: meson setup build && ninja -C build.

BUILD ?= build
# Debian 12 packages the project needs to build and test. prometheus (promtool,
# and the server the scrape test starts) and frr (the routed lab's daemons) are
# used as binaries only: when make installs them on a systemd machine, it stops
# and disables the services their packages start.
PKGS = gcc make meson ninja-build pkg-config dpdk-dev libdpdk-dev libcjson-dev \
	check libbpf-dev libelf-dev zlib1g-dev clang llvm bpftool iproute2 ethtool jq \
	python3 procps curl prometheus frr libmicrohttpd-dev libsystemd-dev \
	chromium

.PHONY: all deps build demo test clean

all: build

deps:
	@missing=$$(for p in $(PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
		svc=$$(for p in $$missing; do case $$p in prometheus) echo prometheus prometheus-node-exporter;; frr) echo frr;; esac; done); \
		if [ -n "$$svc" ] && [ -d /run/systemd/system ]; then \
			systemctl disable --now $$svc >/dev/null 2>&1; \
			echo "stopped and disabled the Debian services of" $$svc "(the tests start their own, on loopback)"; \
		fi; \
	fi

build: deps
	@[ -f $(BUILD)/build.ninja ] || meson setup $(BUILD) >/dev/null
	ninja -C $(BUILD)

demo: build
	$(BUILD)/control/metroprobe demo

test: deps
	./tests/run $(BUILD)

clean:
	rm -rf $(BUILD) build-fuzz
