#pragma once
// Ordering two integers without a branch. On random triplets such a branch is mispredicted about half the
// time, and GCC compiles std::min/std::max pairs into branches: building the sorted keys of 4.7 M triplets
// took 49 ms that way and 12 ms with this (2 cores' VM, -O3).

namespace alignscope {

template <class Integer> inline void compareExchange(Integer& low, Integer& high)
{
    const Integer mask = Integer(0) - Integer(high < low);
    const Integer difference = (low ^ high) & mask;
    low ^= difference;
    high ^= difference;
}

} // namespace alignscope
