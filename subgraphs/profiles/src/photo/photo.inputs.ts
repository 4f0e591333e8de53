import { Field, InputType, Int } from "type-graphql";

@InputType("PhotoUploadInput", { description: "What the client is about to upload." })
export class PhotoUploadInput {
  @Field(() => String, { description: "`image/jpeg`, `image/png` or `image/webp`." })
  contentType!: string;

  @Field(() => Int, { description: "Size of the file in bytes, at most 10 MiB." })
  byteSize!: number;
}
