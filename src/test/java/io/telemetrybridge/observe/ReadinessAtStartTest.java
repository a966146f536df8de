package io.telemetrybridge.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Readiness tells the truth at start: once the bridge has started, every route serves, so it is UP at once. */
@ExtendWith(KafkaBroker.class)
class ReadinessAtStartTest {

    @Test
    void readinessIsUpAsSoonAsTheBridgeHasStarted() {
        try (RunningBridge bridge = RunningBridge.start()) {
            HttpResponse<String> ready = bridge.send(HttpRequest.newBuilder(
                    bridge.managementUri("/observe/health/ready")).GET().build());
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        }
    }
}
