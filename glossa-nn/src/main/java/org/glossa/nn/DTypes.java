package org.glossa.nn;

import org.bytedeco.pytorch.global.torch.ScalarType;
import org.glossa.core.GlossaException;
import org.glossa.core.safetensors.DType;

/** Our safetensors {@link DType} ↔ libtorch's {@link ScalarType}. */
public final class DTypes {
    private DTypes() {}

    public static ScalarType toScalarType(DType dtype) {
        return switch (dtype) {
            case F64 -> ScalarType.Double;
            case F32 -> ScalarType.Float;
            case F16 -> ScalarType.Half;
            case BF16 -> ScalarType.BFloat16;
            case I64 -> ScalarType.Long;
            case I32 -> ScalarType.Int;
            case I16 -> ScalarType.Short;
            case I8 -> ScalarType.Char; // C++ int8_t is "Char" in ATen
            case U8 -> ScalarType.Byte;
            case BOOL -> ScalarType.Bool;
        };
    }

    /** The safetensors dtype of a libtorch tensor type; fails for types safetensors cannot store (complex, quantized). */
    public static DType fromScalarType(ScalarType type) {
        // JavaCPP hands enums back from C++ as fresh objects carrying only the value (their ordinal is
        // meaningless); intern() returns the real constant that switch and == need.
        return switch (type.intern()) {
            case Double -> DType.F64;
            case Float -> DType.F32;
            case Half -> DType.F16;
            case BFloat16 -> DType.BF16;
            case Long -> DType.I64;
            case Int -> DType.I32;
            case Short -> DType.I16;
            case Char -> DType.I8;
            case Byte -> DType.U8;
            case Bool -> DType.BOOL;
            default -> throw new GlossaException("tensor dtype " + type + " has no safetensors equivalent");
        };
    }
}
