import { Gender } from "@pulse/db";
import { registerEnumType } from "type-graphql";

registerEnumType(Gender, {
  name: "Gender",
  description: "A person's gender, and the genders they are interested in.",
  valuesConfig: {
    FEMALE: { description: "Female." },
    MALE: { description: "Male." },
    NON_BINARY: { description: "Non-binary." },
  },
});

export { Gender };
