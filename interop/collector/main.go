// Command otelcol-bridge-interop is a minimal OpenTelemetry Collector used to check that a
// real Collector exports to the Telemetry Bridge (see collector-to-bridge.sh).
//
// It is written by hand, but laid out the way the OpenTelemetry Collector Builder (ocb)
// lays out the distributions it generates: main() describes the binary, names the
// confmap providers that --config may use (env:, file:, http:, https:, yaml:) and hands
// everything to otelcol.NewCommand; components() (components.go) lists the component
// factories and the Go module of each. Pipelines, ports and exporter settings all come
// from the configuration given at run time.
package main

import (
	"os"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/provider/envprovider"
	"go.opentelemetry.io/collector/confmap/provider/fileprovider"
	"go.opentelemetry.io/collector/confmap/provider/httpprovider"
	"go.opentelemetry.io/collector/confmap/provider/httpsprovider"
	"go.opentelemetry.io/collector/confmap/provider/yamlprovider"
	"go.opentelemetry.io/collector/otelcol"
)

// The two release lines of the core repository, which move together: modules still at
// 0.x carry betaRelease, the ones declared stable carry stableRelease. go.mod must
// require exactly these (build.sh checks it).
const (
	betaRelease   = "v0.165.0"
	stableRelease = "v1.71.0"
)

func main() {
	providers := []confmap.ProviderFactory{
		envprovider.NewFactory(),
		fileprovider.NewFactory(),
		httpprovider.NewFactory(),
		httpsprovider.NewFactory(),
		yamlprovider.NewFactory(),
	}
	// What `components` prints for each URI scheme, as ocb fills it in.
	providerModules := map[string]string{}
	for _, p := range providers {
		scheme := p.Create(confmap.ProviderSettings{}).Scheme()
		providerModules[scheme] = "go.opentelemetry.io/collector/confmap/provider/" + scheme + "provider " + stableRelease
	}

	settings := otelcol.CollectorSettings{
		BuildInfo: component.BuildInfo{
			Command:     "otelcol-bridge-interop",
			Description: "Minimal OpenTelemetry Collector for the Telemetry Bridge interop checks",
			Version:     betaRelease,
		},
		Factories: components,
		ConfigProviderSettings: otelcol.ConfigProviderSettings{
			ResolverSettings: confmap.ResolverSettings{ProviderFactories: providers},
		},
		ProviderModules: providerModules,
	}

	// No Windows service mode here (ocb adds one in main_windows.go): this binary only
	// runs interactively, from the interop scripts.
	if err := otelcol.NewCommand(settings).Execute(); err != nil {
		// cobra has printed the error already.
		os.Exit(1)
	}
}
