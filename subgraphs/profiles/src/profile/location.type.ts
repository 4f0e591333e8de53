import { Field, Float, ObjectType } from "type-graphql";

@ObjectType("Location", { description: "Where a person last said they are." })
export class Location {
  @Field(() => Float, { description: "Degrees north of the equator, -90..90." })
  latitude!: number;

  @Field(() => Float, { description: "Degrees east of Greenwich, -180..180." })
  longitude!: number;

  @Field(() => String, { nullable: true, description: "City name, as the person gave it." })
  city!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Country as an upper-case ISO 3166 alpha-2 code, e.g. `DE`.",
  })
  country!: string | null;
}
