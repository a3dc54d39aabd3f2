// Package words holds the small English helpers of the library's messages.
package words
