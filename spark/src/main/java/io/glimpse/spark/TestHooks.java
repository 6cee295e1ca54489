package io.glimpse.spark;

/**
 * Faults the module's tests inject into tasks, read from system properties of the JVM that runs the task (in local
 * mode the driver's): {@code glimpse.spark.test.fail-first-attempt} = a shard number whose first attempt throws after writing its first rows, and
 * {@code glimpse.spark.test.task-delay-ms} = a pause before each task, so a test can kill the driver mid-job.
 * Unset, they do nothing.
 */
final class TestHooks {
    static final String FAIL_FIRST_ATTEMPT = "glimpse.spark.test.fail-first-attempt";
    static final String TASK_DELAY_MS = "glimpse.spark.test.task-delay-ms";

    private TestHooks() {
    }

    static void afterFirstRows(int shard, int attempt) {
        String fail = System.getProperty(FAIL_FIRST_ATTEMPT);
        if (fail != null && attempt == 0 && Integer.parseInt(fail.trim()) == shard) {
            throw new IllegalStateException("injected failure of shard " + shard + ", attempt " + attempt);
        }
    }

    static void beforeTask() {
        long delay = Long.getLong(TASK_DELAY_MS, 0);
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("task interrupted", e);
            }
        }
    }
}
