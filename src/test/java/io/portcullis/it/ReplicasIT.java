package io.portcullis.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/contract.md#operation: two replicas of the packaged jar on one PostgreSQL (and, with a Redis, one
 * limits store), by bench/replicas.sh: tokens, admin changes, revocations, key rotations and federated
 * identities cross between them, and a plan's rate limit and a token quota hold across both. It needs
 * the machine's PostgreSQL on 127.0.0.1:5432 and psql (the embedded one of the other tests is of this
 * JVM alone): without them it is skipped with one line; CI has them, and there it must run.
 */
class ReplicasIT {
    @Test
    void twoReplicasShareWhatTheContractSaysTheyShare() throws Exception {
        boolean postgres;
        try (Socket socket = new Socket("127.0.0.1", 5432)) {
            postgres = true;
        } catch (java.io.IOException e) {
            postgres = false;
        }
        boolean psql = new ProcessBuilder("sh", "-c", "command -v psql").start().waitFor() == 0;
        if (!(postgres && psql)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("CI has PostgreSQL on 127.0.0.1:5432 and psql: ReplicasIT must run");
            }
            System.out.println("ReplicasIT skipped: it needs PostgreSQL on 127.0.0.1:5432 and psql (bench/replicas.sh)");
            Assumptions.abort("no PostgreSQL on 127.0.0.1:5432, or no psql");
        }
        ProcessBuilder builder = new ProcessBuilder("bash", Path.of("bench", "replicas.sh").toString()).redirectErrorStream(true);
        builder.environment().put("BENCH_NO_PACKAGE", "1");
        // two JVMs starting at once on a small CI machine: C1 alone starts them sooner, and nothing here is timed
        // against the JIT (what is timed is propagation between the replicas, seconds apart)
        builder.environment().put("REPLICA_JAVA_OPTS", "-XX:TieredStopAtLevel=1");
        // the jar this phase packaged: the script must not package again inside this build
        Process script = builder.start();
        script.getOutputStream().close();
        String out;
        try (var in = script.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(script.waitFor(5, TimeUnit.MINUTES), "bench/replicas.sh did not end");
        System.out.println(out);
        assertEquals(0, script.exitValue(), out);
        assertTrue(out.contains("replicas: all checks passed"), out);
    }
}
