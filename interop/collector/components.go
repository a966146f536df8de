package main

import (
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/connector"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/exporter/debugexporter"
	"go.opentelemetry.io/collector/exporter/otlpexporter"
	"go.opentelemetry.io/collector/exporter/otlphttpexporter"
	"go.opentelemetry.io/collector/extension"
	"go.opentelemetry.io/collector/otelcol"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/batchprocessor"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/otlpreceiver"
	"go.opentelemetry.io/collector/service/telemetry/otelconftelemetry"

	"github.com/open-telemetry/opentelemetry-collector-contrib/exporter/kafkaexporter"
	"github.com/open-telemetry/opentelemetry-collector-contrib/receiver/kafkareceiver"
)

// contribRelease is the release of the opentelemetry-collector-contrib modules; v0.165.1 is
// the contrib patch release built against core v0.165.0 / v1.71.0.
//
// The contrib fileexporter is not included: at v0.165.0 and v0.165.1 its tests import
// extension/encoding/otlpencodingextension at the same release, which the Go module proxy
// does not serve, so `go mod tidy` fails on this module once fileexporter is imported.
const contribRelease = "v0.165.1"

const (
	coreRepo    = "go.opentelemetry.io/collector/"
	contribRepo = "github.com/open-telemetry/opentelemetry-collector-contrib/"
)

// withModule pairs a factory with the Go module (path and version) it is built from.
type withModule[T component.Factory] struct {
	factory T
	module  string
}

// register builds the factory map and the module map the Collector reports in
// `components`. A factory that also answers to a deprecated type name (the otlp
// exporter's former name, for one) reports the same module under that name.
func register[T component.Factory](entries ...withModule[T]) (map[component.Type]T, map[component.Type]string, error) {
	list := make([]T, 0, len(entries))
	modules := make(map[component.Type]string, len(entries))
	for _, e := range entries {
		list = append(list, e.factory)
		modules[e.factory.Type()] = e.module
		if a, ok := any(e.factory).(interface{ DeprecatedAlias() component.Type }); ok && a.DeprecatedAlias().String() != "" {
			modules[a.DeprecatedAlias()] = e.module
		}
	}
	factories, err := otelcol.MakeFactoryMap(list...)
	return factories, modules, err
}

func components() (otelcol.Factories, error) {
	var err error
	f := otelcol.Factories{Telemetry: otelconftelemetry.NewFactory()}

	if f.Receivers, f.ReceiverModules, err = register(
		withModule[receiver.Factory]{otlpreceiver.NewFactory(), coreRepo + "receiver/otlpreceiver " + betaRelease},
		withModule[receiver.Factory]{kafkareceiver.NewFactory(), contribRepo + "receiver/kafkareceiver " + contribRelease},
	); err != nil {
		return otelcol.Factories{}, err
	}

	if f.Processors, f.ProcessorModules, err = register(
		withModule[processor.Factory]{batchprocessor.NewFactory(), coreRepo + "processor/batchprocessor " + betaRelease},
	); err != nil {
		return otelcol.Factories{}, err
	}

	if f.Exporters, f.ExporterModules, err = register(
		withModule[exporter.Factory]{otlpexporter.NewFactory(), coreRepo + "exporter/otlpexporter " + betaRelease},
		withModule[exporter.Factory]{otlphttpexporter.NewFactory(), coreRepo + "exporter/otlphttpexporter " + betaRelease},
		withModule[exporter.Factory]{debugexporter.NewFactory(), coreRepo + "exporter/debugexporter " + betaRelease},
		withModule[exporter.Factory]{kafkaexporter.NewFactory(), contribRepo + "exporter/kafkaexporter " + contribRelease},
	); err != nil {
		return otelcol.Factories{}, err
	}

	// No extensions and no connectors in this distribution.
	if f.Extensions, f.ExtensionModules, err = register[extension.Factory](); err != nil {
		return otelcol.Factories{}, err
	}
	if f.Connectors, f.ConnectorModules, err = register[connector.Factory](); err != nil {
		return otelcol.Factories{}, err
	}
	return f, nil
}
