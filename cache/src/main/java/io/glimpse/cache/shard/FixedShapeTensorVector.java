package io.glimpse.cache.shard;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ExtensionTypeVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;

/** Vector of {@link FixedShapeTensorType}: a FixedSizeList underneath; values read back as the list's objects. */
public final class FixedShapeTensorVector extends ExtensionTypeVector<FixedSizeListVector> {
    public FixedShapeTensorVector(String name, BufferAllocator allocator, FixedSizeListVector storage) {
        super(name, allocator, storage);
    }

    @Override
    public Object getObject(int index) {
        return getUnderlyingVector().getObject(index);
    }

    @Override
    public int hashCode(int index) {
        return getUnderlyingVector().hashCode(index);
    }

    @Override
    public int hashCode(int index, org.apache.arrow.memory.util.hash.ArrowBufHasher hasher) {
        return getUnderlyingVector().hashCode(index, hasher);
    }
}
