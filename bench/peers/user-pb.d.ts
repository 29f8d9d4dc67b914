import * as $protobuf from "protobufjs";
import Long = require("long");

/** Namespace bench. */
export namespace bench {

    /**
     * Properties of a User.
     * @deprecated Use bench.User.$Properties instead.
     */
    interface IUser extends bench.User.$Properties {
    }

    /** Represents a User. */
    class User {

        /**
         * Constructs a new User.
         * @param [properties] Properties to set
         */
        constructor(properties?: bench.User.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** User id. */
        id: (number|Long);

        /** User name. */
        name: string;

        /** User age. */
        age: number;

        /**
         * Encodes the specified User message. Does not implicitly {@link bench.User.verify|verify} messages.
         * @param message User message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: bench.User.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a User message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {bench.User & bench.User.$Shape} User
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): bench.User & bench.User.$Shape;

        /**
         * Verifies a User message.
         * @param message Plain object to verify
         * @returns `null` if valid, otherwise the reason why it is not
         */
        static verify(message: { [k: string]: any }): (string|null);

        /**
         * Gets the type url for User
         * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns The type url
         */
        static getTypeUrl(prefix?: string): string;
    }

    namespace User {

        /** Properties of a User. */
        interface $Properties {

            /** User id */
            id?: (number|Long|null);

            /** User name */
            name?: (string|null);

            /** User age */
            age?: (number|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a User. */
        type $Shape = bench.User.$Properties;
    }
}
