package io.glimpse.extract.backbone;

import java.util.List;

/**
 * The layer extracted when neither the request nor the config names one: the highest {@code hidden_state_N}
 * (the last block's output before the encoder's final norm, which is how the study reads MAE-style models),
 * else {@code last_hidden_state}, else the first token output.
 */
final class DefaultLayer {
    private DefaultLayer() {
    }

    static String pick(List<String> tokenOutputs) {
        String best = null;
        int bestBlock = -1;
        for (String l : tokenOutputs) {
            if (l.matches("hidden_state_\\d+")) {
                int k = Integer.parseInt(l.substring("hidden_state_".length()));
                if (k > bestBlock) {
                    bestBlock = k;
                    best = l;
                }
            }
        }
        if (best != null) return best;
        return tokenOutputs.contains("last_hidden_state") ? "last_hidden_state" : tokenOutputs.get(0);
    }
}
