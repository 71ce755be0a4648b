/** The public surface of `models/`: the modelling kernel and the Jailhouse models written on it. */
export {};
