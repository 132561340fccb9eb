package org.protolens;

public final class Main {
    public static void main(String[] args) {
    }
}
