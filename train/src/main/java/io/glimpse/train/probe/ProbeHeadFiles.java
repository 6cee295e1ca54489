package io.glimpse.train.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.glimpse.train.TrainInputException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saves and restores a head's parameters and buffers ({@code head.bin}). Format (big-endian, java.io.DataOutput):
 * int magic "GLHD", int version 1, UTF probe name, int tensor count, then per tensor: UTF name, byte dtype
 * (0 float32, 1 float64), int rank, rank x long dims, the values in row-major order. Written to a temporary file
 * and moved into place, so a killed run never leaves a half-written head.
 */
public final class ProbeHeadFiles {
    private static final int MAGIC = 0x474C4844;
    private static final int VERSION = 1;

    private ProbeHeadFiles() {
    }

    public static void save(ProbeHead head, Path file) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Map<String, NDArray> tensors = tensors(head);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(head.name());
            out.writeInt(tensors.size());
            for (Map.Entry<String, NDArray> e : tensors.entrySet()) write(out, e.getKey(), e.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write probe head " + tmp, e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move probe head into place: " + file, e);
        }
    }

    /** Overwrites every parameter and buffer of {@code head} with the file's values; names and shapes must match. */
    public static void load(ProbeHead head, Path file) {
        Map<String, NDArray> tensors = tensors(head);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) throw bad(file, "not a Glimpse probe head (version 1)");
            String probe = in.readUTF();
            if (!probe.equals(head.name())) throw bad(file, "holds probe " + probe + ", not " + head.name());
            int count = in.readInt();
            if (count != tensors.size()) throw bad(file, "holds " + count + " tensors, the head has " + tensors.size());
            for (int i = 0; i < count; i++) read(in, tensors, file);
        } catch (IOException e) {
            throw new TrainInputException("cannot read probe head " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, NDArray> tensors(ProbeHead head) {
        Map<String, NDArray> all = new LinkedHashMap<>(head.parameters());
        all.putAll(head.buffers());
        return all;
    }

    private static void write(DataOutputStream out, String name, NDArray array) throws IOException {
        out.writeUTF(name);
        boolean f64 = array.getDataType() == DataType.FLOAT64;
        out.writeByte(f64 ? 1 : 0);
        long[] dims = array.getShape().getShape();
        out.writeInt(dims.length);
        for (long d : dims) out.writeLong(d);
        if (f64) {
            for (double v : array.toDoubleArray()) out.writeDouble(v);
        } else {
            for (float v : array.toFloatArray()) out.writeFloat(v);
        }
    }

    private static void read(DataInputStream in, Map<String, NDArray> tensors, Path file) throws IOException {
        String name = in.readUTF();
        boolean f64 = in.readByte() == 1;
        long[] dims = new long[in.readInt()];
        for (int d = 0; d < dims.length; d++) dims[d] = in.readLong();
        NDArray target = tensors.get(name);
        if (target == null) throw bad(file, "has tensor " + name + " that the head does not have");
        if (!target.getShape().equals(new Shape(dims))) {
            throw bad(file, "tensor " + name + " has shape " + new Shape(dims) + ", the head expects " + target.getShape());
        }
        int n = Math.toIntExact(target.getShape().size());
        if (target.getDataType() == DataType.FLOAT64) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = f64 ? in.readDouble() : in.readFloat();
            target.set(v);
        } else {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = f64 ? (float) in.readDouble() : in.readFloat();
            target.set(v);
        }
    }

    private static TrainInputException bad(Path file, String what) {
        return new TrainInputException("probe head file " + file + " " + what);
    }
}
